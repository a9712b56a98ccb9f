import { and, eq, sql } from 'drizzle-orm';
import type { ProviderStatus } from '../../domain/kinds';
import { isoToday, settleNewPatients } from '../../domain/new-patients';
import type { Listing, Placement, ProviderRecord } from '../../domain/provider';
import { OFFER_FIELDS } from '../../domain/provider-fields';
import * as audit from '../audit';
import { oneRow, type Database } from '../db';
import {
	providerConditions,
	providerRoutes,
	providers,
	providerTelehealthStates
} from '../db/schema';
import { providersChanged } from '../events';
import { COLUMN_FIELDS } from './record';
import { recordSlugChange } from './slugs';

/**
 * The one writer of provider records: every insert, rewrite, status change and verification goes
 * through here (requests, admin edits, reports, CSV imports, demo data), raises the record's
 * version, and — for the audited ones — writes the audit entry in the same transaction. Run in
 * `providerTransaction`, a committed change is announced with `providersChanged()` (../events.ts).
 */

const orNull = <T>(value: T | undefined) => (value === undefined ? null : value);

/** Every write to a provider row sets this: the version moves on, whoever wrote. */
const nextVersion = () => sql`${providers.version} + 1`;

/** Transactions in which a provider was written: `providerTransaction` announces them on commit. */
const changedIn = new WeakSet<Database>();

/**
 * Runs `work` in a transaction and, once it has committed, announces `providersChanged()` if a
 * writer here changed a provider in it. Use it around every write to providers.
 */
export async function providerTransaction<T>(
	db: Database,
	work: (tx: Database) => Promise<T>
): Promise<T> {
	let handle: Database | undefined;
	const result = await db.transaction((tx) => work((handle = tx)));
	if (handle && changedIn.has(handle)) providersChanged();
	return result;
}

export interface NewPlacement extends Placement {
	isDemo?: boolean;
}

function columnValues(given: Listing, placement: Placement, now: Date) {
	const listing = settleNewPatients(given, isoToday(now));
	const values: Record<string, unknown> = {
		slug: placement.slug,
		lat: placement.lat,
		lng: placement.lng,
		status: placement.status,
		lastVerifiedAt: placement.lastVerifiedAt,
		updatedAt: now
	};
	for (const f of COLUMN_FIELDS) values[f.key] = orNull(listing[f.key]);
	return values as Omit<typeof providers.$inferInsert, 'isDemo' | 'version'>;
}

/** Rows per insert: 1,000 providers of ~25 columns stay under PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 1000;

async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
	for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
		await insert(rows.slice(i, i + ROWS_PER_INSERT));
	}
}

async function insertChildren(tx: Database, items: { id: number; listing: Listing }[]) {
	const routes = items.flatMap(({ id, listing }) =>
		listing.routes.map((offer) => {
			const row: typeof providerRoutes.$inferInsert = { providerId: id, route: offer.code };
			for (const f of OFFER_FIELDS) Object.assign(row, { [f.key]: orNull(offer[f.key]) });
			return row;
		})
	);
	const states = items.flatMap(({ id, listing }) =>
		listing.telehealthStates.map((state) => ({ providerId: id, state }))
	);
	const conditions = items.flatMap(({ id, listing }) =>
		listing.conditions.map((condition) => ({ providerId: id, condition }))
	);
	await insertInChunks(routes, (chunk) => tx.insert(providerRoutes).values(chunk));
	await insertInChunks(states, (chunk) => tx.insert(providerTelehealthStates).values(chunk));
	await insertInChunks(conditions, (chunk) => tx.insert(providerConditions).values(chunk));
}

/** New providers, in one statement per table; returns their ids in order. Call inside a transaction. */
export async function insertListings(
	tx: Database,
	items: readonly { listing: Listing; placement: NewPlacement }[]
): Promise<number[]> {
	if (items.length === 0) return [];
	const now = new Date();
	const placed: { id: number; listing: Listing }[] = [];
	await insertInChunks([...items], async (chunk) => {
		const rows = await tx
			.insert(providers)
			.values(
				chunk.map(({ listing, placement }) => ({
					...columnValues(listing, placement, now),
					isDemo: placement.isDemo ?? false
				}))
			)
			.returning({ id: providers.id, slug: providers.slug });
		// Matched by slug (unique), not by the order RETURNING happens to give.
		const idOf = new Map(rows.map((r) => [r.slug, r.id]));
		placed.push(
			...chunk.map((item) => ({ id: idOf.get(item.placement.slug)!, listing: item.listing }))
		);
	});
	await insertChildren(tx, placed);
	changedIn.add(tx);
	return placed.map((p) => p.id);
}

/**
 * Inserts (no `id`) or rewrites a provider with its routes, telehealth states and conditions; a
 * changed slug leaves the old one redirecting here. Call inside a transaction. Returns the id.
 */
export async function writeListing(
	tx: Database,
	listing: Listing,
	placement: NewPlacement,
	id?: number
): Promise<number> {
	if (id === undefined) return oneRow(await insertListings(tx, [{ listing, placement }]));
	const [previous] = await tx
		.select({ slug: providers.slug })
		.from(providers)
		.where(eq(providers.id, id));
	await tx
		.update(providers)
		.set({ ...columnValues(listing, placement, new Date()), version: nextVersion() })
		.where(eq(providers.id, id));
	if (previous && previous.slug !== placement.slug) {
		await recordSlugChange(tx, id, previous.slug, placement.slug);
	}
	await Promise.all([
		tx.delete(providerRoutes).where(eq(providerRoutes.providerId, id)),
		tx.delete(providerTelehealthStates).where(eq(providerTelehealthStates.providerId, id)),
		tx.delete(providerConditions).where(eq(providerConditions.providerId, id))
	]);
	await insertChildren(tx, [{ id, listing }]);
	changedIn.add(tx);
	return id;
}

/** The provider's row, locked for this transaction (FOR UPDATE); null when there is none. */
export async function lockProvider(tx: Database, providerId: number) {
	const [row] = await tx
		.select({
			version: providers.version,
			status: providers.status,
			lastVerifiedAt: providers.lastVerifiedAt
		})
		.from(providers)
		.where(eq(providers.id, providerId))
		.for('update');
	return row ?? null;
}

/** What the audit log keeps of a record: everything a moderator could change. */
export function auditView(record: Placement & { listing: Listing }) {
	return {
		slug: record.slug,
		status: record.status,
		lat: record.lat,
		lng: record.lng,
		lastVerifiedAt: record.lastVerifiedAt,
		...record.listing
	};
}

/** Why and by whom a status or verification changes: what the audit entry keeps. */
export interface Audited {
	reason?: string | null;
	actor: { id: number };
}

export type StatusOutcome = 'changed' | 'unchanged' | 'not_found';

const STATUS_ACTION: Record<ProviderStatus, string> = {
	suspended: 'provider.suspend',
	published: 'provider.publish',
	pending: 'provider.unpublish'
};

/** Sets columns of one provider (its version moves on) and writes the audit entry beside it. */
async function auditedSet(
	tx: Database,
	providerId: number,
	change: { action: string; before: object; set: Partial<typeof providers.$inferInsert> },
	{ reason, actor }: Audited,
	now: Date
) {
	await tx
		.update(providers)
		.set({ ...change.set, updatedAt: now, version: nextVersion() })
		.where(eq(providers.id, providerId));
	await audit.record(tx, {
		actorId: actor.id,
		action: change.action,
		entityType: 'provider',
		entityId: providerId,
		before: change.before,
		after: change.set,
		reason
	});
	changedIn.add(tx);
}

/**
 * The one place a provider's status changes: suspend, publish or unpublish, with its audit entry,
 * in the caller's transaction. Decided under the row lock, so of two moderators doing the same,
 * one changes it and the other hears 'unchanged'; 'not_found' when there is no such provider.
 */
export async function setStatus(
	tx: Database,
	providerId: number,
	status: ProviderStatus,
	audited: Audited
): Promise<StatusOutcome> {
	const before = await lockProvider(tx, providerId);
	if (!before) return 'not_found';
	if (before.status === status) return 'unchanged';
	const change = {
		action: STATUS_ACTION[status],
		before: { status: before.status },
		set: { status }
	};
	await auditedSet(tx, providerId, change, audited, new Date());
	return 'changed';
}

/** The one place a provider is marked verified (now), with its audit entry, in the caller's transaction. */
export async function verify(
	tx: Database,
	providerId: number,
	audited: Audited
): Promise<Exclude<StatusOutcome, 'unchanged'>> {
	const before = await lockProvider(tx, providerId);
	if (!before) return 'not_found';
	const now = new Date();
	const change = {
		action: 'provider.verify',
		before: { lastVerifiedAt: before.lastVerifiedAt },
		set: { lastVerifiedAt: now }
	};
	await auditedSet(tx, providerId, change, audited, now);
	return 'changed';
}

/** The id of the published provider with this slug, or null: what patients may rate or report. */
export async function publishedId(db: Database, slug: string): Promise<number | null> {
	const [row] = await db
		.select({ id: providers.id })
		.from(providers)
		.where(and(eq(providers.slug, slug), eq(providers.status, 'published')));
	return row?.id ?? null;
}

export const notPublished = (slug: string) => `No published provider has the slug “${slug}”.`;

export type { ProviderRecord };
