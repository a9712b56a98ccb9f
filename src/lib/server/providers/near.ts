import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { ProviderKind } from '../../domain/kinds';
import type { ProviderSummary } from '../../domain/provider';
import type { ProviderFilters } from '../../schemas/filters';
import { oneRow, type Database } from '../db';
import { providerFeedback, providers } from '../db/schema';
import { filterConditions, type FilterSet } from './filters';
import { lowestPrice, pageColumns, summaries } from './search';

/** Radius searches and map points (docs/decisions/007-radius-search.md). */

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
		const { n } = oneRow(await tx.select({ n: count() }).from(capped));
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
	return withDistances(cards, rows);
}

/** Each card with its distance: summaries gives at most one card per row, in the rows' order. */
function withDistances<T extends object>(cards: T[], rows: { meters: number }[]) {
	return cards.flatMap((p, i) => {
		const row = rows[i];
		return row ? [{ ...p, distanceMiles: roundMiles(row.meters) }] : [];
	});
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
		results: withDistances(cards, rows)
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
			kinds: r.kinds,
			distanceMiles: roundMiles(meters)
		}));
	}
	const rows = await db
		.select(columns)
		.from(providers)
		.where(and(...filterConditions(db, { ...filters, telehealth: false })));
	return rows.map((r) => ({ ...r, kinds: r.kinds }));
}
