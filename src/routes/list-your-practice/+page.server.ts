import { randomUUID } from 'node:crypto';
import { keepTyped } from '$lib/server/forms';
import { keepListingForm, requestAction } from '$lib/server/listing-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ token: randomUUID() });

export const actions = keepTyped(
	{ default: (event) => requestAction(event) } satisfies Actions,
	keepListingForm
);
