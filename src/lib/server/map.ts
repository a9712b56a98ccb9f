import Supercluster from 'supercluster';
import type { ProviderKind } from '../domain/kinds';
import type { MapFilters } from '../schemas/map';
import type { Database } from './db';
import { onProvidersChanged } from './events';
import * as providers from './providers';
import { describeError, log } from './log';

/**
 * Clusters for the map viewport. One supercluster index per distinct filter set, kept for a
 * short while so panning never rebuilds it; it is dropped whenever the provider writer announces a change (./events.ts).
 */

export type MarkerKind = 'clinic' | 'kap' | 'spravato';

interface PointProps {
	slug: string;
	name: string;
	kind: MarkerKind;
	telehealth: boolean;
	/** Miles from the searched place, as the list shows it; only with a circle. */
	distanceMiles?: number;
}

/** A radius search's circle: the map then shows exactly the providers the list counts. */
export type Circle = providers.Nearby;

// radius 80 px with pairs clustered keeps markers (24–48 px) from crowding each other, so each
// stays a WCAG 2.2 sized target.
const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 32;
type Cache = Map<string, { at: number; index: Promise<Supercluster<PointProps>> }>;
/** Per database handle, so two databases in one process (tests) never share an index. */
let caches = new WeakMap<Database, Cache>();

export function invalidateMapCache(): void {
	caches = new WeakMap();
}
onProvidersChanged(invalidateMapCache);

/** The kind a marker is drawn as: clinic first, then Spravato center, then KAP practice. */
function markerKind(kinds: ProviderKind[]): MarkerKind {
	if (kinds.includes('clinic')) return 'clinic';
	if (kinds.includes('spravato')) return 'spravato';
	return 'kap';
}

async function buildIndex(db: Database, filters: MapFilters, circle?: Circle) {
	const points = await providers.mapPoints(db, filters, circle);
	const index = new Supercluster<PointProps>({ radius: 80, maxZoom: 15, minPoints: 2 });
	index.load(
		points.map((p) => ({
			type: 'Feature' as const,
			geometry: { type: 'Point' as const, coordinates: [p.lng, p.lat] },
			properties: {
				slug: p.slug,
				name: p.name,
				kind: markerKind(p.kinds),
				telehealth: p.kinds.includes('telehealth'),
				...(p.distanceMiles !== undefined ? { distanceMiles: p.distanceMiles } : {})
			}
		}))
	);
	return index;
}

function indexFor(db: Database, filters: MapFilters, circle?: Circle) {
	let cache = caches.get(db);
	if (!cache) {
		cache = new Map();
		caches.set(db, cache);
	}
	const key = JSON.stringify([
		filters.state,
		filters.route,
		filters.kind,
		filters.psychotherapy,
		circle ? [circle.lat, circle.lng, circle.radiusMiles] : null
	]);
	const now = Date.now();
	const hit = cache.get(key);
	if (hit && now - hit.at < TTL_MS) return hit.index;
	if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
	const index = buildIndex(db, filters, circle);
	cache.set(key, { at: now, index });
	index.catch(() => cache.delete(key));
	return index;
}

const round = (n: number) => Math.round(n * 1e5) / 1e5;

/**
 * Builds the unfiltered index ahead of the first visitor (≈1 s for 100,000 providers); start-up
 * waits for it before the server listens. Never rejects: a failure is logged, and the first
 * request builds it again.
 */
export async function warmMapCache(db: Database): Promise<void> {
	await indexFor(db, {}).catch((err: unknown) => {
		log.warn({ err: describeError(err) }, 'could not pre-build the map index');
	});
}

export async function clusters(
	db: Database,
	filters: MapFilters,
	bbox: [number, number, number, number],
	zoom: number,
	circle?: Circle
) {
	if (filters.telehealth === true) return { type: 'FeatureCollection' as const, features: [] };
	const index = await indexFor(db, filters, circle);
	// A bbox wider than any screen at this zoom (the whole country at street level) would list
	// every provider one by one: answer at the zoom that box could really be shown at, and step
	// down further while the answer is over budget.
	const widthPx = ((bbox[2] - bbox[0]) / 360) * 256 * 2 ** zoom;
	let z =
		widthPx > MAX_VIEWPORT_PX
			? Math.max(0, zoom - Math.ceil(Math.log2(widthPx / MAX_VIEWPORT_PX)))
			: zoom;
	let features = featuresAt(index, bbox, z);
	while (z > 0 && JSON.stringify(features).length > MAX_PAYLOAD_CHARS) {
		features = featuresAt(index, bbox, --z);
	}
	return { type: 'FeatureCollection' as const, features };
}

/** The budget for one /api/map answer, in characters of JSON (docs: ≤ 40 kB at every zoom). */
const MAX_PAYLOAD_CHARS = 36_000;
/** Wider than any real map viewport, so ordinary requests keep their zoom. */
const MAX_VIEWPORT_PX = 4096;

function featuresAt(
	index: Supercluster<PointProps>,
	bbox: [number, number, number, number],
	zoom: number
) {
	return index.getClusters(bbox, zoom).map((f) => {
		// A GeoJSON point's position is [lng, lat] (a third number would be its altitude).
		const [lng, lat] = f.geometry.coordinates as [number, number];
		const geometry = { type: 'Point' as const, coordinates: [round(lng), round(lat)] };
		if ('cluster' in f.properties && f.properties.cluster) {
			const id = f.properties.cluster_id;
			return {
				type: 'Feature' as const,
				geometry,
				properties: {
					cluster: true,
					count: f.properties.point_count,
					expansionZoom: Math.min(index.getClusterExpansionZoom(id), 18)
				}
			};
		}
		return { type: 'Feature' as const, geometry, properties: f.properties as PointProps };
	});
}
