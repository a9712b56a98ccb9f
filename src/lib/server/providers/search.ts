import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm';
import { brief, EMPTY_SUMMARY } from '../../domain/feedback';
import { IN_PERSON_KINDS } from '../../domain/kinds';
import type { ProviderProfile, ProviderSummary } from '../../domain/provider';
import { toProfile, toSummary } from '../../domain/provider-shapes';
import { AT_HOME_ROUTE_CODES, ROUTE_CODES, type RouteCode } from '../../domain/routes';
import { STATES, type StateCode } from '../../domain/states';
import type { ProviderFilters } from '../../schemas/filters';
import { oneRow, selectRows, type Database } from '../db';
import { feedbackFor } from '../feedback';
import {
	providerFeedback,
	providerRoutes,
	providers,
	providerTelehealthStates
} from '../db/schema';
import { loadRecord, loadRecordsById } from './record';
import { filterConditions, servingConditions } from './filters';
import { onProvidersChanged } from '../events';

/**
 * Finding providers: who serves a state (docs/decisions/001-who-serves-a-state.md), radius
 * searches (007), map points, the state × route matrix. Queries pick and order ids; the records
 * come from the one loader (./record.ts) and are shaped by src/lib/domain/provider-shapes.ts.
 */

export interface SearchResult {
	total: number;
	results: ProviderSummary[];
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
	const rows = await db
		.select({
			total: count(),
			inPerson: sql<number>`count(*) filter (where ${local})`.mapWith(Number),
			telehealth: sql<number>`count(*) filter (where ${remote})`.mapWith(Number),
			both: sql<number>`count(*) filter (where ${local} and ${remote})`.mapWith(Number)
		})
		.from(providers)
		.where(and(...filterConditions(db, { ...f, state })));
	return oneRow(rows);
}

/** Columns a page of results is ordered by, beside the id it is loaded by. */
export const pageColumns = { id: providers.id, name: providers.name };

/**
 * The lowest per-session price a provider lists: for `route` when given, else over all its
 * routes (a range's lower end, or its upper end when that is all it says). Null when none.
 */
export function lowestPrice(route: RouteCode | undefined): SQL<number | null> {
	return sql<
		number | null
	>`(select min(coalesce(${providerRoutes.priceMin}, ${providerRoutes.priceMax})) from ${providerRoutes} where ${providerRoutes.providerId} = ${providers.id}${route ? sql` and ${providerRoutes.route} = ${route}` : sql``})`;
}

/** Cards for these providers, in this order, with their stored feedback. */
export async function summaries(db: Database, ids: number[]): Promise<ProviderSummary[]> {
	if (ids.length === 0) return [];
	const [records, feedback] = await Promise.all([loadRecordsById(db, ids), feedbackFor(db, ids)]);
	return records.map((record) => {
		const stored = feedback.get(record.id);
		return toSummary(record, brief(stored?.summary ?? EMPTY_SUMMARY, stored?.heldCount ?? 0));
	});
}

export async function search(db: Database, filters: ProviderFilters): Promise<SearchResult> {
	const where = and(...filterConditions(db, filters));
	const [totals, rows] = await Promise.all([
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
	const { total } = oneRow(totals);
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

/** Bumped after every committed change to providers; a cached matrix of an older one is stale. */
let providersVersion = 0;
onProvidersChanged(() => providersVersion++);

/** Per database handle (tests open several), with the providers' version it was counted at. */
const coverageCache = new WeakMap<Database, { version: number; matrix: Promise<CoverageMatrix> }>();

/**
 * The "Providers by State" matrix, counted once per change to providers: it changes only when a
 * listing does, and counting the country costs a second at national scale (decision 018). The
 * writer announces every committed change (../events.ts), so the next request after a write
 * counts again; a count already under way when a write lands is not kept.
 */
export function coverage(db: Database): Promise<CoverageMatrix> {
	const hit = coverageCache.get(db);
	if (hit && hit.version === providersVersion) return hit.matrix;
	const entry = { version: providersVersion, matrix: countCoverage(db) };
	// A failed count (the database away) is not remembered.
	entry.matrix.catch(() => {
		if (coverageCache.get(db) === entry) coverageCache.delete(db);
	});
	coverageCache.set(db, entry);
	return entry.matrix;
}

/**
 * For each state and route, how many providers offer that route to patients in that state. One
 * query, grouping sets for the cells and both margins.
 */
async function countCoverage(db: Database): Promise<CoverageMatrix> {
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
