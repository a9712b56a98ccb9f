import { and, asc, desc, eq } from 'drizzle-orm';
import type { EditorialNote } from '../domain/editorial-note';
import type { EditorialNoteInput } from '../schemas/provider-admin';
import * as audit from './audit';
import { oneRow, type Database } from './db';
import { annotations, providers, users } from './db/schema';
import { providersChanged } from './events';

/**
 * Moderators' editorial notes on a provider: written, corrected and retired here, shown on the
 * public profile while active. Each change is audited in its own transaction. The table is still
 * called `annotations`, and the audit log's entries `annotation.*`: stored names, kept.
 */

export interface EditorialNoteRecord {
	id: number;
	title: string;
	body: string;
	status: 'active' | 'retired';
	createdByEmail: string | null;
	createdAt: Date;
	updatedAt: Date;
	retiredAt: Date | null;
}

/** Every note on a provider: active ones first, each group newest first. */
export async function notesFor(db: Database, providerId: number): Promise<EditorialNoteRecord[]> {
	return db
		.select({
			id: annotations.id,
			title: annotations.title,
			body: annotations.body,
			status: annotations.status,
			createdByEmail: users.email,
			createdAt: annotations.createdAt,
			updatedAt: annotations.updatedAt,
			retiredAt: annotations.retiredAt
		})
		.from(annotations)
		.leftJoin(users, eq(users.id, annotations.createdBy))
		.where(eq(annotations.providerId, providerId))
		.orderBy(asc(annotations.status), desc(annotations.updatedAt), desc(annotations.id));
}

export type NoteResult =
	{ ok: true; id: number } | { ok: false; code: 'not_found' | 'retired'; message: string };

/** Notes show on the public profile: a committed change is announced, as listing changes are. */
async function announced(
	db: Database,
	work: (tx: Database) => Promise<NoteResult>
): Promise<NoteResult> {
	const result = await db.transaction(work);
	if (result.ok) providersChanged();
	return result;
}

const NO_PROVIDER = 'That provider does not exist.';
const NO_NOTE = 'That note does not belong to this provider (or no longer exists).';
const RETIRED = 'That note was already retired; add a new one instead.';

export async function addNote(
	db: Database,
	providerId: number,
	input: EditorialNoteInput,
	actor: { id: number }
): Promise<NoteResult> {
	return announced(db, async (tx): Promise<NoteResult> => {
		const [provider] = await tx
			.select({ id: providers.id })
			.from(providers)
			.where(eq(providers.id, providerId))
			.for('share');
		if (!provider) return { ok: false, code: 'not_found', message: NO_PROVIDER };
		const row = oneRow(
			await tx
				.insert(annotations)
				.values({ providerId, title: input.title, body: input.body, createdBy: actor.id })
				.returning({ id: annotations.id })
		);
		await audit.record(tx, {
			actorId: actor.id,
			action: 'annotation.add',
			entityType: 'annotation',
			entityId: row.id,
			before: null,
			after: { providerId, title: input.title, body: input.body, status: 'active' }
		});
		return { ok: true, id: row.id };
	});
}

/** The provider's note, locked, while it is still active; or why it cannot be changed. */
async function lockActiveNote(tx: Database, providerId: number, annotationId: number) {
	const [note] = await tx
		.select()
		.from(annotations)
		.where(and(eq(annotations.id, annotationId), eq(annotations.providerId, providerId)))
		.for('update');
	if (!note) return { ok: false, code: 'not_found', message: NO_NOTE } as const;
	if (note.status !== 'active') return { ok: false, code: 'retired', message: RETIRED } as const;
	return { ok: true, note } as const;
}

/** Corrects an active note's title and body. */
export async function editNote(
	db: Database,
	providerId: number,
	annotationId: number,
	input: EditorialNoteInput,
	actor: { id: number }
): Promise<NoteResult> {
	return announced(db, async (tx): Promise<NoteResult> => {
		const locked = await lockActiveNote(tx, providerId, annotationId);
		if (!locked.ok) return locked;
		const { note } = locked;
		await tx
			.update(annotations)
			.set({ title: input.title, body: input.body, updatedAt: new Date() })
			.where(eq(annotations.id, annotationId));
		await audit.record(tx, {
			actorId: actor.id,
			action: 'annotation.edit',
			entityType: 'annotation',
			entityId: annotationId,
			before: { providerId, title: note.title, body: note.body },
			after: { providerId, title: input.title, body: input.body }
		});
		return { ok: true, id: annotationId };
	});
}

/** Takes a note off the public profile; it stays here, and in the audit log, as history. */
export async function retireNote(
	db: Database,
	providerId: number,
	annotationId: number,
	reason: string | undefined,
	actor: { id: number }
): Promise<NoteResult> {
	return announced(db, async (tx): Promise<NoteResult> => {
		const locked = await lockActiveNote(tx, providerId, annotationId);
		if (!locked.ok) return locked;
		const { note } = locked;
		const now = new Date();
		await tx
			.update(annotations)
			.set({ status: 'retired', retiredAt: now, updatedAt: now })
			.where(eq(annotations.id, annotationId));
		await audit.record(tx, {
			actorId: actor.id,
			action: 'annotation.retire',
			entityType: 'annotation',
			entityId: annotationId,
			before: { providerId, title: note.title, status: 'active' },
			after: { providerId, title: note.title, status: 'retired' },
			reason
		});
		return { ok: true, id: annotationId };
	});
}

/** Moderators' active editorial notes on a provider, newest first (written in the admin area). */
export async function activeFor(db: Database, providerId: number): Promise<EditorialNote[]> {
	return db
		.select({
			id: annotations.id,
			title: annotations.title,
			body: annotations.body,
			updatedAt: annotations.updatedAt
		})
		.from(annotations)
		.where(and(eq(annotations.providerId, providerId), eq(annotations.status, 'active')))
		.orderBy(desc(annotations.updatedAt));
}
