/**
 * The map's view in the address, as `#map=<zoom>/<lat>/<lng>` (the form OpenStreetMap uses). A
 * fragment never reaches the server, so moving the map changes neither the search nor the logs.
 */
export interface MapView {
	lat: number;
	lng: number;
	zoom: number;
}

export function formatMapHash(view: MapView): string {
	return `#map=${Math.round(view.zoom)}/${view.lat.toFixed(4)}/${view.lng.toFixed(4)}`;
}

export function parseMapHash(hash: string): MapView | undefined {
	const match = /^#map=(\d{1,2})\/(-?\d{1,2}(?:\.\d+)?)\/(-?\d{1,3}(?:\.\d+)?)$/.exec(hash);
	if (!match) return undefined;
	const [zoom, lat, lng] = [Number(match[1]), Number(match[2]), Number(match[3])];
	if (zoom > 20 || Math.abs(lat) > 90 || Math.abs(lng) > 180) return undefined;
	return { lat, lng, zoom };
}

/**
 * Directions to a provider: a plain link to a maps site, built from the address. Nothing is sent
 * anywhere until the person follows it.
 */
export function directionsUrl(address: {
	street: string | null;
	city: string;
	state: string;
	zip: string;
}): string {
	const destination = [address.street, address.city, `${address.state} ${address.zip}`]
		.filter((part) => part)
		.join(', ');
	return `https://www.google.com/maps/dir/?api=1&destination=${encodeURIComponent(destination)}`;
}
