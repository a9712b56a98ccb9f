import { randomUUID } from 'node:crypto';
import { keepTyped, ONE_VISITOR } from '$lib/server/forms';
import { keepListingForm, requestAction } from '$lib/server/listing-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ setHeaders }) => {
	setHeaders(ONE_VISITOR);
	return { token: randomUUID() };
};

export const actions = keepTyped(
	{ default: (event) => requestAction(event) } satisfies Actions,
	keepListingForm
);
