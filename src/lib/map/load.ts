import type * as Leaflet from 'leaflet';
import type { FeatureCollection, Geometry } from 'geojson';
import type { Topology } from 'topojson-specification';
import { env } from '$env/dynamic/public';

/**
 * Leaflet touches `window` on import, so pages load it here, from onMount, only when a map is
 * shown. State outlines come from the bundled us-atlas data so the map reads without tiles.
 */
export async function loadLeaflet(): Promise<typeof Leaflet> {
	const [leaflet] = await Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css')]);
	return (leaflet as unknown as { default?: typeof Leaflet }).default ?? leaflet;
}

export async function stateOutlines(): Promise<FeatureCollection<Geometry, { name: string }>> {
	const [{ feature }, topology] = await Promise.all([
		import('topojson-client'),
		import('us-atlas/states-10m.json')
	]);
	const topo = ((topology as unknown as { default?: unknown }).default ?? topology) as Topology;
	const states = topo.objects.states;
	if (!states) throw new Error('us-atlas/states-10m.json has no states object.');
	return feature(topo, states) as FeatureCollection<Geometry, { name: string }>;
}

export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const DEFAULT_TILE_ATTRIBUTION =
	'&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

/** Tiles are optional: PUBLIC_TILE_URL="" turns them off and the outlines carry the map. */
export function addTiles(L: typeof Leaflet, map: Leaflet.Map): void {
	const url = env.PUBLIC_TILE_URL ?? DEFAULT_TILE_URL;
	if (!url) return;
	L.tileLayer(url, {
		attribution: env.PUBLIC_TILE_ATTRIBUTION ?? DEFAULT_TILE_ATTRIBUTION,
		maxZoom: 18
	}).addTo(map);
}

/** Contiguous United States, for a map with no narrower area to show. */
export const US_BOUNDS: Leaflet.LatLngBoundsLiteral = [
	[24.5, -125],
	[49.5, -66.9]
];
