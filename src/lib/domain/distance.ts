/** The sphere earthdistance uses (metres), so distances here match the database's. */
export const EARTH_RADIUS_METERS = 6_378_168;
export const METERS_PER_MILE = 1609.344;

/** Great-circle distance in miles. */
export function milesBetween(
	a: { lat: number; lng: number },
	b: { lat: number; lng: number }
): number {
	const rad = Math.PI / 180;
	const dLat = (b.lat - a.lat) * rad;
	const dLng = (b.lng - a.lng) * rad;
	const h =
		Math.sin(dLat / 2) ** 2 +
		Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
	return (2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)))) / METERS_PER_MILE;
}

/** "12.4 mi"; a distance that would round to 0.0 reads "under 0.1 mi". */
export function formatMiles(miles: number): string {
	if (miles < 0.05) return 'under 0.1 mi';
	return `${(Math.round(miles * 10) / 10).toFixed(1)} mi`;
}
