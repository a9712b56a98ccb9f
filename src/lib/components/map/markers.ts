import type * as Leaflet from 'leaflet';

export type PointProps = {
	slug: string;
	name: string;
	kind: 'clinic' | 'kap' | 'spravato';
	telehealth: boolean;
	distanceMiles?: number;
};
export type ClusterProps = { cluster: true; count: number; expansionZoom: number };
export type MapFeature = {
	geometry: { coordinates: [number, number] };
	properties: PointProps | ClusterProps;
};

/** Each kind of marker in words, for its label and popup. */
export const MARKER_LABEL: Record<PointProps['kind'], string> = {
	clinic: 'Clinic',
	kap: 'KAP practice',
	spravato: 'Spravato center'
};

/** The view as the map API's bbox parameter, clamped to the world. */
export function bboxParam(bounds: Leaflet.LatLngBounds) {
	const clamp = (n: number, limit: number) => Math.max(-limit, Math.min(limit, n));
	return [
		clamp(bounds.getWest(), 180),
		clamp(bounds.getSouth(), 90),
		clamp(bounds.getEast(), 180),
		clamp(bounds.getNorth(), 90)
	]
		.map((n) => n.toFixed(4))
		.join(',');
}

export function clusterMarker(
	leaflet: typeof Leaflet,
	target: Leaflet.Map,
	lat: number,
	lng: number,
	p: ClusterProps
) {
	const size = p.count < 10 ? 32 : p.count < 100 ? 40 : 48;
	const label = `${p.count} providers here; zoom in`;
	const marker = leaflet.marker([lat, lng], {
		icon: leaflet.divIcon({
			html: `<span>${p.count}</span>`,
			className: 'map-cluster',
			iconSize: [size, size]
		}),
		title: label,
		keyboard: true
	});
	marker.on('add', () => marker.getElement()?.setAttribute('aria-label', label));
	marker.on('click', () =>
		target.setView([lat, lng], Math.max(p.expansionZoom, target.getZoom() + 1))
	);
	return marker;
}

/** A provider's marker; its popup is built when first opened. */
export function pointMarker(
	leaflet: typeof Leaflet,
	lat: number,
	lng: number,
	p: PointProps,
	popup: () => HTMLElement
) {
	const label = `${p.name} (${MARKER_LABEL[p.kind]})`;
	const marker = leaflet.marker([lat, lng], {
		icon: leaflet.divIcon({
			html: '',
			className: `map-marker map-marker-${p.kind}`,
			iconSize: [24, 24]
		}),
		title: label,
		keyboard: true
	});
	marker.on('add', () => marker.getElement()?.setAttribute('aria-label', label));
	marker.bindPopup(popup, { maxWidth: 260 });
	return marker;
}
