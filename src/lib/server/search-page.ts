import { kindLabel } from '../domain/kinds';
import { routeLabel } from '../domain/routes';
import { stateName, type StateCode } from '../domain/states';
import { nearbyFiltersSchema, RADIUS_CHOICES, type ProviderFilters } from '../schemas/filters';
import { parseQueryForgiving } from '../schemas/query';
import type { Database } from './db';
import { resolveOrigin, type Origin } from './geocode';
import * as providers from './providers';

/**
 * The home page's search: every query the filter form can produce, and any hand-edited one, gives
 * a page with the form and an answer (docs/decisions/007-radius-search.md). Parameters that cannot
 * be read are left out and named, never turned into an error page.
 */

const TELEHEALTH_PREVIEW = 6;
/** In-person providers offered, with their distance, when none is within the radius. */
const NEAREST_OFFERED = 3;

/** A filter the person could remove, with the count they would get. */
export interface Relaxation {
	param: 'state' | 'route' | 'kind' | 'telehealth' | 'psychotherapy' | 'accepting';
	label: string;
	total: number;
	capped: boolean;
}

export interface WiderRadius {
	radius: number;
	total: number;
	capped: boolean;
}

type Filters = Omit<ProviderFilters, 'page' | 'pageSize'>;

function filterLabel(param: Relaxation['param'], f: Filters): string {
	switch (param) {
		case 'state':
			return `State: ${stateName(f.state!)}`;
		case 'route':
			return `Route: ${routeLabel(f.route!)}`;
		case 'kind':
			return `Kind: ${kindLabel(f.kind!)}`;
		case 'telehealth':
			return f.telehealth ? 'Telehealth only' : 'In person only';
		case 'psychotherapy':
			return `Psychotherapy / integration ${f.psychotherapy ? 'offered' : 'not offered'}`;
		case 'accepting':
			return 'Accepting new patients';
	}
}

const ACTIVE: Relaxation['param'][] = [
	'state',
	'route',
	'kind',
	'telehealth',
	'psychotherapy',
	'accepting'
];

async function relaxations(
	filters: Filters,
	count: (without: Filters, param: Relaxation['param']) => Promise<number | undefined>
): Promise<Relaxation[]> {
	const active = ACTIVE.filter((p) => filters[p] !== undefined);
	const found = await Promise.all(
		active.map(async (param) => {
			const without = { ...filters, [param]: undefined };
			const total = await count(without, param);
			return total === undefined
				? undefined
				: {
						param,
						label: filterLabel(param, filters),
						total: Math.min(total, providers.NEAR_COUNT_CAP),
						capped: total > providers.NEAR_COUNT_CAP
					};
		})
	);
	return found.filter((r): r is Relaxation => r !== undefined && r.total > 0);
}

export async function loadSearchPage(db: Database, params: URLSearchParams) {
	const query = new URLSearchParams(params);
	// With JavaScript off the form sends the earlier search's coordinates with a newly typed
	// place: the typed place is the newer wish.
	if (query.get('near')?.trim()) {
		for (const name of ['lat', 'lng', 'from']) query.delete(name);
	}
	const { data, ignored } = parseQueryForgiving(nearbyFiltersSchema, query, {
		lat: ['lat', 'lng', 'from'],
		lng: ['lat', 'lng', 'from']
	});
	const { near, lat, lng, from, radius, ...filters } = data;
	const coords = lat !== undefined && lng !== undefined ? { lat, lng } : undefined;
	const location = { near: near ?? '', radius, coords, from };
	const base = { filters, ignored };

	const place = resolveOrigin({ near, lat, lng, from });
	if (!place.ok) {
		return {
			...base,
			location: { ...location, error: place.message, suggestions: place.suggestions ?? [] },
			mode: 'unknown-place' as const
		};
	}

	if (!place.origin) {
		const { total, results } = await providers.search(db, filters);
		const relax =
			total === 0
				? await relaxations(
						filters,
						async (without) =>
							(await providers.search(db, { ...without, page: 1, pageSize: 1 })).total
					)
				: [];
		return { ...base, location, mode: 'list' as const, total, results, relax };
	}

	const origin: Origin & { radiusMiles: number } = { ...place.origin, radiusMiles: radius };
	const point = { lat: origin.lat, lng: origin.lng, radiusMiles: radius };

	if (filters.telehealth === true) {
		return { ...base, location, ...(await telehealthNear(db, filters, origin, point)) };
	}

	const telehealthState = filters.state ?? origin.state;
	const [nearby, telehealth] = await Promise.all([
		providers.searchNear(db, filters, point),
		telehealthState
			? providers.search(db, {
					...filters,
					state: telehealthState,
					telehealth: true,
					page: 1,
					pageSize: TELEHEALTH_PREVIEW
				})
			: undefined
	]);
	const empty = nearby.total === 0;
	const [wider, nearest, relax] = empty
		? await Promise.all([
				widerRadii(db, filters, point),
				providers.nearestAnywhere(db, filters, origin, NEAREST_OFFERED),
				relaxations(filters, (without, param) =>
					param === 'telehealth'
						? Promise.resolve(undefined)
						: providers.countNear(db, without, point)
				)
			])
		: [[], [], []];
	return {
		...base,
		location,
		mode: 'near' as const,
		origin,
		nearby,
		telehealth,
		telehealthState,
		help: { wider, nearest, relax }
	};
}

async function widerRadii(
	db: Database,
	filters: Filters,
	point: { lat: number; lng: number; radiusMiles: number }
): Promise<WiderRadius[]> {
	const larger = RADIUS_CHOICES.filter((r) => r > point.radiusMiles);
	const counts = await Promise.all(
		larger.map(async (radius) => ({
			radius,
			count: await providers.countNear(db, filters, { ...point, radiusMiles: radius })
		}))
	);
	return counts
		.map(({ radius, count }) => ({
			radius,
			total: Math.min(count, providers.NEAR_COUNT_CAP),
			capped: count > providers.NEAR_COUNT_CAP
		}))
		.filter((r) => r.total > 0);
}

/** A place with "Telehealth only": the services licensed in its state; distance does not apply. */
async function telehealthNear(
	db: Database,
	filters: ProviderFilters,
	origin: Origin & { radiusMiles: number },
	point: { lat: number; lng: number; radiusMiles: number }
) {
	const state: StateCode | undefined = filters.state ?? origin.state;
	const licensed = state
		? await providers.search(db, { ...filters, state, telehealth: true })
		: { total: 0, results: [] };
	const relax =
		licensed.total === 0
			? await relaxations(filters, async (without, param) => {
					if (param === 'telehealth') return providers.countNear(db, without, point);
					const where = param === 'state' ? origin.state : state;
					if (!where) return undefined;
					const found = await providers.search(db, {
						...without,
						state: where,
						telehealth: true,
						page: 1,
						pageSize: 1
					});
					return found.total;
				})
			: [];
	return {
		mode: 'telehealth' as const,
		origin,
		telehealthState: state,
		total: licensed.total,
		results: licensed.results,
		relax
	};
}
