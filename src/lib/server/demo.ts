import { count, eq, sql } from 'drizzle-orm';
import type { Listing } from '../domain/provider';
import { oneRow, type Database } from './db';
import { providers, ratingConditions, ratings } from './db/schema';
import type { DemoProvider, DemoRating } from './demo/data';
import { insertFeedback } from './feedback';
import { generateDemoProviders, generateDemoRatings } from './demo/generate';
import { insertListings, providerTransaction, type NewPlacement } from './providers';
import { zipcodesModule } from './zipcodes';

/**
 * Seeding the demo directory (./demo/data.ts, ./demo/generate.ts): its providers through the
 * provider writer, flagged `is_demo`, and their ratings with the aggregates they make.
 */

export type { DemoProvider, DemoRating, DemoRoute } from './demo/data';
export { generateDemoProviders, generateDemoRatings } from './demo/generate';

const orUndefined = <T>(value: T | null) => (value === null ? undefined : value);

/**
 * What a demo provider says about new patients, told when it was last verified: fixed by its slug
 * (not drawn from the generator, so every other demo value stays as it was). About half say yes,
 * one in six says no, the rest do not say.
 */
function newPatients(
	p: DemoProvider
): Pick<Listing, 'acceptingNewPatients' | 'acceptingConfirmedOn'> {
	let hash = 0;
	for (const c of p.slug) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
	const answer = hash % 6 < 3 ? 'yes' : hash % 6 === 3 ? 'no' : 'unknown';
	if (answer === 'unknown') return { acceptingNewPatients: answer };
	return {
		acceptingNewPatients: answer,
		acceptingConfirmedOn: p.lastVerifiedAt.toISOString().slice(0, 10)
	};
}

/** A demo provider as the writer takes it: the listing, and where and how it stands. */
function asListing(p: DemoProvider): { listing: Listing; placement: NewPlacement } {
	return {
		listing: {
			name: p.name,
			kinds: p.kinds,
			description: p.description,
			street: p.street,
			city: p.city,
			state: p.state,
			zip: p.zip,
			phone: p.phone,
			website: p.website,
			email: p.email,
			routes: p.routes.map((r) => ({
				code: r.route,
				priceMin: orUndefined(r.priceMin),
				priceMax: orUndefined(r.priceMax),
				seriesPrice: orUndefined(r.seriesPrice)
			})),
			consultFee: orUndefined(p.consultFee),
			acceptsInsurance: p.acceptsInsurance,
			insuranceNotes: orUndefined(p.insuranceNotes),
			offersPsychotherapy: p.offersPsychotherapy,
			...newPatients(p),
			telehealthStates: p.telehealthStates,
			conditions: p.conditions
		},
		placement: {
			slug: p.slug,
			lat: p.lat,
			lng: p.lng,
			status: 'published',
			lastVerifiedAt: p.lastVerifiedAt,
			isDemo: true
		}
	};
}

/** Inserts the demo set in one transaction, published and flagged `is_demo`. */
export async function insertDemoProviders(db: Database, list: DemoProvider[]): Promise<number> {
	const generated = generateDemoRatings(list);
	await providerTransaction(db, async (tx) => {
		const ids = await insertListings(tx, list.map(asListing));
		await insertDemoRatings(
			tx,
			// One list of ratings per provider, in the order the providers were inserted.
			ids.map((providerId, i) => ({ providerId, list: generated[i] ?? [] }))
		);
	});
	return list.length;
}

/** Published demo ratings and the aggregates they make, written directly (no moderation to pass). */
async function insertDemoRatings(
	db: Database,
	items: { providerId: number; list: DemoRating[] }[]
) {
	const rows = items.flatMap(({ providerId, list }) =>
		list.map(({ conditions: _c, ...r }) => ({
			...r,
			providerId,
			status: 'published' as const,
			publishedAt: r.createdAt
		}))
	);
	const conditionsOf = items.flatMap(({ list }) => list.map((r) => r.conditions));
	for (let start = 0; start < rows.length; start += 1000) {
		const ids = await db
			.insert(ratings)
			.values(rows.slice(start, start + 1000))
			.returning({ id: ratings.id });
		const links = ids.flatMap(({ id }, i) =>
			(conditionsOf[start + i] ?? []).map((condition) => ({ ratingId: id, condition }))
		);
		if (links.length) await db.insert(ratingConditions).values(links);
	}
	await insertFeedback(
		db,
		items.map(({ providerId, list }) => ({ providerId, published: list }))
	);
}

/** Loads the demo set unless the directory already has providers. Returns how many were added. */
export async function seedDemoIfEmpty(db: Database): Promise<number> {
	const { n } = oneRow(await db.select({ n: count() }).from(providers));
	if (n > 0) return 0;
	return insertDemoProviders(db, generateDemoProviders(zipcodesModule()));
}

/** Replaces every demo row with a fresh copy of the demo set; real listings are untouched. */
export async function reseedDemo(db: Database): Promise<number> {
	await db.delete(providers).where(eq(providers.isDemo, true));
	return insertDemoProviders(db, generateDemoProviders(zipcodesModule()));
}

export async function hasDemoData(db: Database): Promise<boolean> {
	const rows = await db
		.select({ one: sql<number>`1` })
		.from(providers)
		.where(eq(providers.isDemo, true))
		.limit(1);
	return rows.length > 0;
}
