import { PERIOD_DAYS } from '$lib/server/client-hash';
import { defaultLimits } from '$lib/server/ratings';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({
	limits: defaultLimits(),
	hashPeriodDays: PERIOD_DAYS
});
