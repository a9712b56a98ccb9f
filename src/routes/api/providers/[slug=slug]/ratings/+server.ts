import { json } from '@sveltejs/kit';
import { ADDRESS_UNAVAILABLE, apiError, clientAddressOf, readJson } from '$lib/server/http';
import { linkBase } from '$lib/server/api';
import * as ratings from '$lib/server/ratings';
import { fieldErrors } from '$lib/schemas/errors';
import { ratingSchema } from '$lib/schemas/rating';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, params, locals, getClientAddress }) => {
	const read = await readJson(request, 'the rating (Content-Type: application/json)');
	if (!read.ok) return read.response;
	const { body } = read;
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return apiError(400, 'invalid_json', 'Send the rating as a JSON object.');
	}
	const input = { ...body } as Record<string, unknown>;
	input.idempotencyKey ??= request.headers.get('idempotency-key') ?? undefined;

	const parsed = ratingSchema.safeParse(input);
	if (!parsed.success) {
		const fields = fieldErrors(parsed.error);
		return apiError(400, 'invalid_rating', Object.values(fields).join(' '), fields);
	}
	const address = clientAddressOf(getClientAddress);
	if (!address) return apiError(503, 'address_unavailable', ADDRESS_UNAVAILABLE);
	const result = await ratings.submitRating(locals.db, params.slug, parsed.data, { address });
	if (!result.ok) {
		if (result.code === 'not_found') return apiError(404, 'not_found', result.message);
		if (result.code === 'invalid')
			return apiError(400, 'invalid_rating', result.message, result.fields);
		const response = apiError(429, 'rate_limited', result.message);
		response.headers.set('retry-after', String(result.retryAfterSeconds));
		return response;
	}
	return json(
		{
			id: result.id,
			status: result.status,
			provider: `${linkBase()}/api/providers/${params.slug}`,
			message:
				result.status === 'published'
					? 'Thank you: the rating is published.'
					: 'Thank you: the rating was received and will appear after a moderator reviews it.'
		},
		{ status: 201 }
	);
};
