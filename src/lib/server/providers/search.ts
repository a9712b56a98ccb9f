import { and, asc, count, eq, exists, inArray, sql, type SQL } from 'drizzle-orm';
import { brief, EMPTY_SUMMARY } from '../../domain/feedback';
import { IN_PERSON_KINDS, type ProviderKind } from '../../domain/kinds';
import type { ProviderProfile, ProviderSummary } from '../../domain/provider';
import { toProfile, toSummary } from '../../domain/provider-shapes';
import { AT_HOME_ROUTE_CODES, givenAtHome, ROUTE_CODES, type RouteCode } from '../../domain/routes';
import { STATES, type StateCode } from '../../domain/states';
import type { ProviderFilters } from '../../schemas/filters';
import { selectRows, type Database } from '../db';
import { feedbackFor } from '../feedback';
import {
	providerFeedback,
	providerRoutes,
	providers,
	providerTelehealthStates
} from '../db/schema';
import { loadRecord, loadRecordsById } from './record';

/**
 * Finding providers: who serves a state (docs/decisions/001-who-serves-a-state.md), radius
 * searches (007), map points, the state × route matrix. Queries pick and order ids; the records
 * come from the one loader (./record.ts) and are shaped by src/lib/domain/provider-shapes.ts.
 */

/** The filters alone; a page and page size may come along and are ignored. */
export type FilterSet = Omit<ProviderFilters, 'page' | 'pageSize'> &
	Partial<Pick<ProviderFilters, 'page' | 'pageSize'>>;

export interface SearchResult {
	total: number;
	results: ProviderSummary[];
}

/** A point and radius: results become in-person providers within it, nearest first. */
export interface Nearby {
	lat: number;
	lng: number;
	radiusMiles: number;
}

export interface NearbyResult {
	/** Exact up to NEAR_COUNT_CAP; at the cap, `totalCapped` says there are more. */
	total: number;
	totalCapped: boolean;
	results: (ProviderSummary & { distanceMiles: number })[];
}

export const METERS_PER_MILE = 1609.344;

/**
 * Counting every provider within 250 miles of a city means rechecking tens of thousands of rows at
 * national scale; past this many the page says "more than 200" and pages through the nearest 200
 * (docs/decisions/007-radius-search.md).
 */
export const NEAR_COUNT_CAP = 200;

const published = eq(providers.status, 'published');
const inPersonKinds = sql`${providers.kinds} && ${sql.raw(`array[${IN_PERSON_KINDS.map((k) => `'${k}'`).join(',')}]::text[]`)}`;
const isTelehealth = sql`${providers.kinds} @> array['telehealth']::text[]`;

function licensedIn(db: Database, state?: StateCode): SQL {
	return exists(
		db
			.select({ one: sql`1` })
			.from(providerTelehealthStates)
			.where(
				and(
					eq(providerTelehealthStates.providerId, providers.id),
					state ? eq(providerTelehealthStates.state, state) : undefined
				)
			)
	);
}

function offersOneOf(db: Database, routes: readonly RouteCode[]): SQL {
	return exists(
		db
			.select({ one: sql`1` })
			.from(providerRoutes)
			.where(
				and(eq(providerRoutes.providerId, providers.id), inArray(providerRoutes.route, [...routes]))
			)
	);
}

/**
 * The two ways of serving patients in a state (docs/decisions/001-who-serves-a-state.md), each
 * narrowed to a route when one is asked for:
 * - in person: an in-person kind located in the state, offering the route;
 * - by telehealth: the telehealth kind, licensed in the state (in some state, without one), offering
 *   the route if it can be taken at home — or, without a route, offering one that can. IV, IM and
 *   Spravato are never "by telehealth", even from a clinic that also runs telehealth.
 */
function servingConditions(
	db: Database,
	state: StateCode | undefined,
	route: RouteCode | undefined
) {
	const local = and(
		inPersonKinds,
		state ? eq(providers.state, state) : undefined,
		route ? offersOneOf(db, [route]) : undefined
	)!;
	const remote =
		route && !givenAtHome(route)
			? sql`false`
			: and(
					isTelehealth,
					licensedIn(db, state),
					offersOneOf(db, route ? [route] : AT_HOME_ROUTE_CODES)
				)!;
	return { local, remote };
}

/**
 * Who serves patients (in a state): in person or by telehealth, as `servingConditions` says;
 * `telehealth` narrows to one of the two groups.
 */
function filterConditions(db: Database, f: Omit<ProviderFilters, 'page' | 'pageSize'>): SQL[] {
	const { local, remote } = servingConditions(db, f.state, f.route);
	const where: SQL[] = [published];
	where.push(
		f.telehealth === true ? remote : f.telehealth === false ? local : sql`(${local} or ${remote})`
	);
	if (f.kind) where.push(sql`${providers.kinds} @> array[${f.kind}]::text[]`);
	if (f.psychotherapy !== undefined) where.push(eq(providers.offersPsychotherapy, f.psychotherapy));
	if (f.accepting) where.push(eq(providers.acceptingNewPatients, 'yes'));
	return where;
}

export interface StateCounts {
	/** Distinct providers serving the state: in person, by telehealth, or both. */
	total: number;
	inPerson: number;
	telehealth: number;
	/** Counted in both groups: in-person providers located there that also treat by telehealth. */
	both: number;
}

/** The groups of a state page, counted in one pass: total = inPerson + telehealth − both. */
export async function stateCounts(
	db: Database,
	state: StateCode,
	f: Omit<ProviderFilters, 'page' | 'pageSize' | 'state' | 'telehealth'>
): Promise<StateCounts> {
	const { local, remote } = servingConditions(db, state, f.route);
	const [row] = await db
		.select({
			total: count(),
			inPerson: sql<number>`count(*) filter (where ${local})`.mapWith(Number),
			telehealth: sql<number>`count(*) filter (where ${remote})`.mapWith(Number),
			both: sql<number>`count(*) filter (where ${local} and ${remote})`.mapWith(Number)
		})
		.from(providers)
		.where(and(...filterConditions(db, { ...f, state })));
	return row;
}

/** Columns a page of results is ordered by, beside the id it is loaded by. */
const pageColumns = { id: providers.id, name: providers.name };

/**
 * The lowest per-session price a provider lists: for `route` when given, else over all its
 * routes (a range's lower end, or its upper end when that is all it says). Null when none.
 */
function lowestPrice(route: RouteCode | undefined): SQL<number | null> {
	return sql<
		number | null
	>`(select min(coalesce(${providerRoutes.priceMin}, ${providerRoutes.priceMax})) from ${providerRoutes} where ${providerRoutes.providerId} = ${providers.id}${route ? sql` and ${providerRoutes.route} = ${route}` : sql``})`;
}

/** Cards for these providers, in this order, with their stored feedback. */
async function summaries(db: Database, ids: number[]): Promise<ProviderSummary[]> {
	if (ids.length === 0) return [];
	const [records, feedback] = await Promise.all([loadRecordsById(db, ids), feedbackFor(db, ids)]);
	return records.map((record) => {
		const stored = feedback.get(record.id);
		return toSummary(record, brief(stored?.summary ?? EMPTY_SUMMARY, stored?.heldCount ?? 0));
	});
}

function nearConditions(db: Database, filters: FilterSet, near: Nearby) {
	const here = sql`ll_to_earth(${near.lat}, ${near.lng})`;
	const meters = near.radiusMiles * METERS_PER_MILE;
	const distance = sql<number>`earth_distance(${here}, ${providers.earth})`;
	const where = and(
		...filterConditions(db, { ...filters, telehealth: false }),
		sql`earth_box(${here}, ${meters}) @> ${providers.earth}`,
		sql`${distance} <= ${meters}`
	);
	return { here, distance, where };
}

/** How many in-person providers are within the radius, counted up to NEAR_COUNT_CAP + 1. */
export async function countNear(db: Database, filters: FilterSet, near: Nearby): Promise<number> {
	const { where } = nearConditions(db, filters, near);
	// cube's @> has a fixed selectivity guess, so the planner picks a bitmap scan that visits every
	// row in the box; an index scan stops at the cap.
	return db.transaction(async (tx) => {
		await tx.execute(sql`set local enable_bitmapscan = off`);
		const capped = tx
			.select({ one: sql`1` })
			.from(providers)
			.where(where)
			.limit(NEAR_COUNT_CAP + 1)
			.as('capped');
		const [{ n }] = await tx.select({ n: count() }).from(capped);
		return n;
	});
}

/**
 * One page of in-person providers within the radius, nearest first. The GiST index on the stored
 * earth point answers both `earth_box @> earth` and the KNN order `earth <-> here` (straight-line
 * distance: the same order as great-circle); earth_distance trims the box's corners. Ties are
 * broken by name in an outer sort over a few rows past the page.
 *
 * Sorted best rated or by lowest price, the page orders the same nearest NEAR_COUNT_CAP the count
 * covers (nearest first among equals), so the pages and the total always agree.
 */
export async function nearPage(db: Database, filters: ProviderFilters, near: Nearby) {
	const { here, distance, where } = nearConditions(db, filters, near);
	const knn = sql`${providers.earth} <-> ${here}`;
	const offset = (filters.page - 1) * filters.pageSize;
	// Pages cover the nearest NEAR_COUNT_CAP, as the total says.
	const size = Math.min(filters.pageSize, NEAR_COUNT_CAP - offset);
	if (size <= 0) return [];
	const byNearest = filters.sort !== 'best' && filters.sort !== 'price';
	const nearest = db
		.select({
			...pageColumns,
			meters: distance.as('meters'),
			knn: knn.as('knn'),
			score: sql<number | null>`${providerFeedback.weightedScore}`.as('score'),
			price: lowestPrice(filters.route).as('price')
		})
		.from(providers)
		.leftJoin(providerFeedback, eq(providerFeedback.providerId, providers.id))
		.where(where)
		.orderBy(knn)
		.limit(byNearest ? offset + filters.pageSize + TIE_SLACK : NEAR_COUNT_CAP)
		.as('nearest');
	const order =
		filters.sort === 'best'
			? [sql`${nearest.score} desc nulls last`]
			: filters.sort === 'price'
				? [sql`${nearest.price} asc nulls last`]
				: [];
	const rows = await db
		.select()
		.from(nearest)
		.orderBy(...order, nearest.knn, nearest.name, nearest.id)
		.limit(size)
		.offset(offset);
	return rows.map(({ meters, knn: _k, score: _s, price: _p, ...row }) => ({
		...row,
		meters: Number(meters)
	}));
}

/**
 * The nearest in-person providers matching the filters, however far: what a search with no
 * result within its radius can still offer. KNN over the GiST index, so it stops after `limit`.
 */
export async function nearestAnywhere(
	db: Database,
	filters: Omit<ProviderFilters, 'page' | 'pageSize'>,
	point: { lat: number; lng: number },
	limit: number
): Promise<(ProviderSummary & { distanceMiles: number })[]> {
	const here = sql`ll_to_earth(${point.lat}, ${point.lng})`;
	const rows = await db
		.select({
			id: providers.id,
			meters: sql<number>`earth_distance(${here}, ${providers.earth})`.as('meters')
		})
		.from(providers)
		.where(and(...filterConditions(db, { ...filters, telehealth: false })))
		.orderBy(sql`${providers.earth} <-> ${here}`, asc(providers.name), asc(providers.id))
		.limit(limit);
	const cards = await summaries(
		db,
		rows.map((r) => r.id)
	);
	return cards.map((p, i) => ({ ...p, distanceMiles: roundMiles(rows[i].meters) }));
}

const roundMiles = (meters: number) => Math.round((Number(meters) / METERS_PER_MILE) * 10) / 10;

/** In-person providers within a radius, nearest first (docs/decisions/007-radius-search.md). */
export async function searchNear(
	db: Database,
	filters: ProviderFilters,
	near: Nearby
): Promise<NearbyResult> {
	const [total, rows] = await Promise.all([
		countNear(db, filters, near),
		nearPage(db, filters, near)
	]);
	const cards = await summaries(
		db,
		rows.map((r) => r.id)
	);
	return {
		total: Math.min(total, NEAR_COUNT_CAP),
		totalCapped: total > NEAR_COUNT_CAP,
		results: cards.map((p, i) => ({ ...p, distanceMiles: roundMiles(rows[i].meters) }))
	};
}

/** Rows fetched past the page so that equal distances (shared ZIP centroids) sort by name. */
const TIE_SLACK = 50;

export interface MapPoint {
	slug: string;
	name: string;
	kinds: ProviderKind[];
	lat: number;
	lng: number;
	/** Miles from the circle's centre, rounded as the list rounds it; only with a circle. */
	distanceMiles?: number;
}

/**
 * Every in-person provider matching the filters, with just what a map marker needs; with `near`,
 * only those within its radius — exactly the providers a radius search counts.
 */
export async function mapPoints(
	db: Database,
	filters: Omit<ProviderFilters, 'page' | 'pageSize'>,
	near?: Nearby
): Promise<MapPoint[]> {
	const columns = {
		slug: providers.slug,
		name: providers.name,
		kinds: providers.kinds,
		lat: providers.lat,
		lng: providers.lng
	};
	if (near) {
		const { distance, where } = nearConditions(db, filters, near);
		const rows = await db
			.select({ ...columns, meters: distance })
			.from(providers)
			.where(where);
		return rows.map(({ meters, ...r }) => ({
			...r,
			kinds: r.kinds as ProviderKind[],
			distanceMiles: roundMiles(meters)
		}));
	}
	const rows = await db
		.select(columns)
		.from(providers)
		.where(and(...filterConditions(db, { ...filters, telehealth: false })));
	return rows.map((r) => ({ ...r, kinds: r.kinds as ProviderKind[] }));
}

export async function search(db: Database, filters: ProviderFilters): Promise<SearchResult> {
	const where = and(...filterConditions(db, filters));
	const [[{ total }], rows] = await Promise.all([
		db.select({ total: count() }).from(providers).where(where),
		db
			.select(pageColumns)
			.from(providers)
			.leftJoin(providerFeedback, eq(providerFeedback.providerId, providers.id))
			.where(where)
			.orderBy(
				...(filters.sort === 'best'
					? [sql`${providerFeedback.weightedScore} desc nulls last`]
					: filters.sort === 'price'
						? [sql`${lowestPrice(filters.route)} asc nulls last`]
						: []),
				asc(providers.name),
				asc(providers.id)
			)
			.limit(filters.pageSize)
			.offset((filters.page - 1) * filters.pageSize)
	]);
	return {
		total,
		results: await summaries(
			db,
			rows.map((r) => r.id)
		)
	};
}

/** The published profile, or null. */
export async function getBySlug(db: Database, slug: string): Promise<ProviderProfile | null> {
	const record = await loadRecord(db, { slug });
	if (!record || record.status !== 'published') return null;
	const stored = (await feedbackFor(db, [record.id])).get(record.id);
	return toProfile(record, stored?.summary ?? EMPTY_SUMMARY, stored?.heldCount ?? 0);
}

export type RouteCounts = Record<RouteCode, number>;

export interface StateCoverage {
	code: StateCode;
	name: string;
	/** Distinct providers serving the state (a provider offering three routes counts once). */
	total: number;
	byRoute: RouteCounts;
}

export interface CoverageMatrix {
	states: StateCoverage[];
	/** Distinct providers nationwide, overall and per route: not the column sums. */
	nation: { total: number; byRoute: RouteCounts };
}

function emptyRouteCounts(): RouteCounts {
	return Object.fromEntries(ROUTE_CODES.map((c) => [c, 0])) as RouteCounts;
}

/**
 * The "Providers by State" matrix: for each state and route, how many providers offer that route
 * to patients in that state. One query, grouping sets for the cells and both margins.
 */
export async function coverage(db: Database): Promise<CoverageMatrix> {
	const rows = await selectRows<{
		state: string | null;
		route: string | null;
		by_state: number;
		by_route: number;
		n: number;
	}>(
		db,
		sql`
		with serving as (
			select p.id, p.state, r.route from ${providers} p
			left join ${providerRoutes} r on r.provider_id = p.id
			where p.status = 'published' and ${sql.raw(`p.kinds && array[${IN_PERSON_KINDS.map((k) => `'${k}'`).join(',')}]::text[]`)}
			union
			select p.id, t.state, r.route from ${providers} p
			join ${providerTelehealthStates} t on t.provider_id = p.id
			join ${providerRoutes} r on r.provider_id = p.id
				and r.route in (${sql.raw(AT_HOME_ROUTE_CODES.map((c) => `'${c}'`).join(','))})
			where p.status = 'published' and p.kinds @> array['telehealth']::text[]
		)
		select state, route,
			grouping(state)::int as by_state, grouping(route)::int as by_route,
			count(distinct id)::int as n
		from serving
		group by grouping sets ((state, route), (state), (route), ())`
	);
	const states = new Map<string, StateCoverage>(
		STATES.map((s) => [
			s.code,
			{ code: s.code, name: s.name, total: 0, byRoute: emptyRouteCounts() }
		])
	);
	const nation = { total: 0, byRoute: emptyRouteCounts() };
	for (const row of rows) {
		const route = row.route as RouteCode | null;
		if (row.by_state === 0 && row.by_route === 0) {
			if (route) states.get(row.state!)!.byRoute[route] = row.n;
		} else if (row.by_state === 0) {
			states.get(row.state!)!.total = row.n;
		} else if (row.by_route === 0) {
			if (route) nation.byRoute[route] = row.n;
		} else {
			nation.total = row.n;
		}
	}
	return { states: [...states.values()], nation };
}
