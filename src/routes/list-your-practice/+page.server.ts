import { randomUUID } from 'node:crypto';
import { requestAction } from '$lib/server/listing-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ token: randomUUID() });

export const actions: Actions = {
	default: (event) => requestAction(event)
};
