import { asc, eq, inArray, type SQL } from 'drizzle-orm';
import { CONDITION_CODES } from '../../domain/conditions';
import type { Listing, ProviderRecord, RouteOffer } from '../../domain/provider';
import { FIELDS, OFFER_FIELDS } from '../../domain/provider-fields';
import { ROUTE_CODES } from '../../domain/routes';
import type { Database } from '../db';
import {
	providerConditions,
	providerRoutes,
	providers,
	providerTelehealthStates
} from '../db/schema';

/**
 * The one loader of provider records: a provider row and its child rows (routes, telehealth
 * states, conditions) as the record the rest of the code works with (src/lib/domain/provider.ts).
 */

export type ProviderRow = typeof providers.$inferSelect;
export type RouteRow = typeof providerRoutes.$inferSelect;

/** Listing fields kept in tables of their own; every other field is a column of `providers`. */
export const CHILD_FIELDS: ReadonlySet<keyof Listing> = new Set([
	'routes',
	'telehealthStates',
	'conditions'
]);
export const COLUMN_FIELDS = FIELDS.filter((f) => !CHILD_FIELDS.has(f.key));

const orUndefined = <T>(value: T | null) => (value === null ? undefined : value);

export function offerFrom(row: RouteRow): RouteOffer {
	const offer: RouteOffer = { code: row.route };
	for (const f of OFFER_FIELDS) {
		const value = row[f.key];
		if (value !== null) Object.assign(offer, { [f.key]: value });
	}
	return offer;
}

/** A provider row and its child rows as a record (routes, states and conditions in their order). */
export function recordFrom(
	row: ProviderRow,
	routeRows: readonly RouteRow[],
	states: readonly Listing['telehealthStates'][number][],
	conditions: readonly Listing['conditions'][number][]
): ProviderRecord {
	const listing = {
		routes: routeRows
			.map(offerFrom)
			.sort((a, b) => ROUTE_CODES.indexOf(a.code) - ROUTE_CODES.indexOf(b.code)),
		telehealthStates: [...states].sort(),
		conditions: [...conditions].sort(
			(a, b) => CONDITION_CODES.indexOf(a) - CONDITION_CODES.indexOf(b)
		)
	} as Listing;
	for (const f of COLUMN_FIELDS) {
		Object.assign(listing, { [f.key]: orUndefined(row[f.key as keyof ProviderRow]) });
	}
	return {
		id: row.id,
		slug: row.slug,
		status: row.status,
		lat: row.lat,
		lng: row.lng,
		isDemo: row.isDemo,
		version: row.version,
		lastVerifiedAt: row.lastVerifiedAt,
		updatedAt: row.updatedAt,
		listing
	};
}

/** Past this many providers the child rows are selected by a subquery, not a list of ids. */
const ID_LIST_MAX = 1000;

export interface LoadOptions {
	/** Lock the provider rows for the transaction (FOR UPDATE). */
	lock?: boolean;
}

/** Providers matching `where`, as records, ordered by state, name and id. */
export async function loadRecords(
	db: Database,
	where: SQL | undefined,
	options: LoadOptions = {}
): Promise<ProviderRecord[]> {
	const query = db
		.select()
		.from(providers)
		.where(where)
		.orderBy(asc(providers.state), asc(providers.name), asc(providers.id));
	const rows = options.lock ? await query.for('update') : await query;
	if (rows.length === 0) return [];
	const ids =
		rows.length <= ID_LIST_MAX
			? rows.map((r) => r.id)
			: db.select({ id: providers.id }).from(providers).where(where);
	const [routeRows, stateRows, conditionRows] = await Promise.all([
		db.select().from(providerRoutes).where(inArray(providerRoutes.providerId, ids)),
		db
			.select()
			.from(providerTelehealthStates)
			.where(inArray(providerTelehealthStates.providerId, ids)),
		db.select().from(providerConditions).where(inArray(providerConditions.providerId, ids))
	]);
	const routesBy = groupBy(routeRows);
	const statesBy = groupBy(stateRows);
	const conditionsBy = groupBy(conditionRows);
	return rows.map((row) =>
		recordFrom(
			row,
			routesBy.get(row.id) ?? [],
			(statesBy.get(row.id) ?? []).map((s) => s.state),
			(conditionsBy.get(row.id) ?? []).map((c) => c.condition)
		)
	);
}

function groupBy<R extends { providerId: number }>(list: R[]): Map<number, R[]> {
	const map = new Map<number, R[]>();
	for (const r of list) {
		const group = map.get(r.providerId);
		if (group) group.push(r);
		else map.set(r.providerId, [r]);
	}
	return map;
}

/** One provider by id or slug (any status), or null. */
export async function loadRecord(
	db: Database,
	by: { id: number } | { slug: string },
	options: LoadOptions = {}
): Promise<ProviderRecord | null> {
	const where = 'id' in by ? eq(providers.id, by.id) : eq(providers.slug, by.slug);
	const [record] = await loadRecords(db, where, options);
	return record ?? null;
}

/** The providers with these ids, as records in the order of `ids`. */
export async function loadRecordsById(db: Database, ids: readonly number[]) {
	if (ids.length === 0) return [];
	const records = await loadRecords(db, inArray(providers.id, [...ids]));
	const byId = new Map(records.map((r) => [r.id, r]));
	return ids.map((id) => byId.get(id)).filter((r): r is ProviderRecord => r !== undefined);
}
