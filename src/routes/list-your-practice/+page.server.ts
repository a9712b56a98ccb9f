import { randomUUID } from 'node:crypto';
import { keepTypedOnOutage } from '$lib/server/forms';
import { keepListingForm, requestAction } from '$lib/server/listing-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ token: randomUUID() });

export const actions = keepTypedOnOutage(
	{ default: (event) => requestAction(event) } satisfies Actions,
	keepListingForm
);
