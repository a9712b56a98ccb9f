import { error, fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import * as editorialNotes from '$lib/server/editorial-notes';
import * as listingRequests from '$lib/server/requests';
import * as providers from '$lib/server/providers';
import * as providerAdmin from '$lib/server/provider-admin';
import { fieldErrors } from '$lib/schemas/errors';
import { listingToFlat } from '$lib/schemas/listing';
import {
	editorialNoteSchema,
	editEditorialNoteSchema,
	parseId,
	retireEditorialNoteSchema,
	suspendSchema,
	unsuspendSchema,
	verifySchema
} from '$lib/schemas/provider-admin';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { keepTyped, typedFields } from '$lib/server/forms';

function notFound(): never {
	error(404, { message: 'There is no such provider.', code: 'not_found' });
}

function providerId(raw: string): number {
	return parseId(raw) ?? notFound();
}

/** A form's text fields as typed, to show them again after a failure. */
async function formValues(event: RequestEvent): Promise<Record<string, string>> {
	const values: Record<string, string> = {};
	for (const [key, value] of await event.request.formData()) {
		if (typeof value === 'string') values[key] = value;
	}
	return values;
}

export const load: PageServerLoad = async (event) => {
	requireRole(event);
	const { db } = event.locals;
	const id = providerId(event.params.id);
	const record = await providers.loadRecord(db, { id: id });
	if (!record) notFound();
	const [notes, history, requests] = await Promise.all([
		editorialNotes.notesFor(db, id),
		providerAdmin.providerHistory(db, id),
		listingRequests.pendingRequestsFor(db, id)
	]);
	return {
		provider: {
			id: record.id,
			slug: record.slug,
			name: record.listing.name,
			status: record.status,
			isDemo: record.isDemo,
			lastVerifiedAt: record.lastVerifiedAt,
			updatedAt: record.updatedAt,
			zip: record.listing.zip
		},
		values: editValues(record),
		located: providers.locate(record.listing),
		requests,
		notes,
		history
	};
};

/** The edit form's values for a stored listing, with what it started from (hidden fields). */
function editValues(record: providers.ProviderRecord): Record<string, string | string[]> {
	const flat = listingToFlat(record.listing);
	return {
		...flat,
		slug: record.slug,
		lat: String(record.lat),
		lng: String(record.lng),
		...startedFrom(record)
	};
}

function startedFrom(record: providers.ProviderRecord) {
	return {
		version: String(record.version),
		base: JSON.stringify(listingToFlat(record.listing)),
		baseSlug: record.slug
	};
}

const edits = {
	save: async (event) => {
		const user = requireRole(event);
		const id = providerId(event.params.id);
		const edit = providerAdmin.parseListingEdit(await event.request.formData());
		if (!edit.ok) return fail(400, { action: 'save', values: edit.values, errors: edit.errors });
		const result = await providerAdmin.updateListing(event.locals.db, id, edit.input, user);
		if (!result.ok) {
			if (result.code === 'not_found') notFound();
			if (result.code === 'stale') {
				// Keep what was typed; a second save, after reading what changed, is a knowing one.
				const now = await providers.loadRecord(event.locals.db, { id: id });
				if (!now) notFound();
				return fail(409, {
					action: 'save',
					values: { ...edit.values, ...startedFrom(now) },
					errors: {},
					stale: { message: result.message, changes: result.changes }
				});
			}
			return fail(400, {
				action: 'save',
				values: edit.values,
				errors: result.fields
			});
		}
		return { action: 'save', done: 'Your changes are saved.' };
	},

	suspend: (event) =>
		statusChange(event, 'suspend', suspendSchema, 'suspended', {
			done: 'The listing is suspended: it is no longer on the site.',
			unchanged: 'The listing was already suspended.'
		}),

	unsuspend: (event) =>
		statusChange(event, 'unsuspend', unsuspendSchema, 'published', {
			done: 'The listing is published: it is on the site again.',
			unchanged: 'The listing was already published.'
		}),

	verify: async (event) => {
		const user = requireRole(event);
		const id = providerId(event.params.id);
		const values = await formValues(event);
		const parsed = verifySchema.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'verify', values, errors: fieldErrors(parsed.error) });
		}
		const outcome = await providerAdmin.markVerified(event.locals.db, id, parsed.data.reason, user);
		if (outcome === 'not_found') notFound();
		return { action: 'verify', done: 'The listing is marked verified today.' };
	},

	annotate: async (event) => {
		const user = requireRole(event);
		const id = providerId(event.params.id);
		const values = await formValues(event);
		const parsed = editorialNoteSchema.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'annotate', values, errors: fieldErrors(parsed.error) });
		}
		const result = await editorialNotes.addNote(event.locals.db, id, parsed.data, user);
		if (!result.ok) notFound();
		return { action: 'annotate', done: 'The editorial note is added to the public profile.' };
	},

	editAnnotation: async (event) => {
		const user = requireRole(event);
		const id = providerId(event.params.id);
		const values = await formValues(event);
		const annotationId = parseId(values.annotationId);
		const parsed = editEditorialNoteSchema.safeParse(values);
		if (!parsed.success) {
			return fail(400, {
				action: 'editAnnotation',
				annotationId,
				values,
				errors: fieldErrors(parsed.error)
			});
		}
		const { annotationId: noteId, ...note } = parsed.data;
		const result = await editorialNotes.editNote(event.locals.db, id, noteId, note, user);
		if (!result.ok) {
			return fail(result.code === 'not_found' ? 404 : 409, {
				action: 'editAnnotation',
				annotationId,
				values,
				errors: { form: result.message }
			});
		}
		return { action: 'editAnnotation', annotationId, done: 'The note is updated.' };
	},

	retireAnnotation: async (event) => {
		const user = requireRole(event);
		const id = providerId(event.params.id);
		const values = await formValues(event);
		const annotationId = parseId(values.annotationId);
		const parsed = retireEditorialNoteSchema.safeParse(values);
		if (!parsed.success) {
			return fail(400, {
				action: 'retireAnnotation',
				annotationId,
				values,
				errors: fieldErrors(parsed.error)
			});
		}
		const result = await editorialNotes.retireNote(
			event.locals.db,
			id,
			parsed.data.annotationId,
			parsed.data.reason,
			user
		);
		if (!result.ok) {
			return fail(result.code === 'not_found' ? 404 : 409, {
				action: 'retireAnnotation',
				annotationId,
				values,
				errors: { form: result.message }
			});
		}
		return {
			action: 'retireAnnotation',
			annotationId,
			done: 'The note is retired: it no longer shows on the public profile.'
		};
	}
} satisfies Actions;

/**
 * Suspend or publish: the server decides under the provider's row lock whether the status still
 * needs changing; this only turns its answer into a message.
 */
async function statusChange(
	event: RequestEvent,
	action: 'suspend' | 'unsuspend',
	schema: typeof suspendSchema | typeof unsuspendSchema,
	status: 'suspended' | 'published',
	messages: { done: string; unchanged: string }
) {
	const user = requireRole(event);
	const id = providerId(event.params.id);
	const values = await formValues(event);
	const parsed = schema.safeParse(values);
	if (!parsed.success) return fail(400, { action, values, errors: fieldErrors(parsed.error) });
	const outcome = await providerAdmin.changeStatus(
		event.locals.db,
		id,
		status,
		parsed.data.reason,
		user
	);
	if (outcome === 'not_found') notFound();
	if (outcome === 'unchanged') {
		return fail(409, { action, values, errors: { form: messages.unchanged } });
	}
	return { action, done: messages.done };
}

export const actions = keepTyped(edits, (form, action) => ({
	action,
	annotationId: parseId(form.get('annotationId')),
	values: typedFields(form)
}));
