import type { Listing } from '../../domain/provider';
import { stateName } from '../../domain/states';
import { isUniqueViolation } from '../db';
import { geocode } from '../geocode';

/** Where a listing goes on the map, and the guards every write of a listing shares. */

export type Located = { ok: true; lat: number; lng: number } | { ok: false; message: string };

/** The map point for a listing: its ZIP's centroid, which must lie in the listing's state. */
export function locate(listing: Pick<Listing, 'zip' | 'state'>): Located {
	const found = geocode(listing.zip);
	if (!found.ok)
		return { ok: false, message: `We don't know the ZIP code ${listing.zip}; check it.` };
	if (found.place.state !== listing.state) {
		return {
			ok: false,
			message: `ZIP ${listing.zip} is in ${stateName(found.place.state)}, not ${stateName(listing.state)}; check the ZIP or the state.`
		};
	}
	return { ok: true, lat: found.place.lat, lng: found.place.lng };
}

export type Invalid = { ok: false; code: 'invalid'; fields: Record<string, string> };

/**
 * Runs a write that sets a provider's slug. The check before it cannot see a transaction still
 * running alongside; if that one took the slug first, the unique index refuses this one, and the
 * moderator gets the same field message instead of an error page.
 */
export async function claimingSlug<T>(
	slug: () => string | undefined,
	write: () => Promise<T>
): Promise<T | Invalid> {
	try {
		return await write();
	} catch (err) {
		if (!isUniqueViolation(err)) throw err;
		return {
			ok: false,
			code: 'invalid',
			fields: { slug: `Another provider already uses the slug “${slug() ?? ''}”.` }
		};
	}
}

/** The listing changed after the moderator's page showed it: nothing was written. */
export type Stale = { ok: false; code: 'stale'; message: string; version: number };

export const staleSince = (version: number, updatedAt: Date): Stale => ({
	ok: false,
	code: 'stale',
	version,
	message: `The listing was changed at ${updatedAt.toISOString().slice(11, 16)} UTC, after this page was opened. Nothing was saved: check what changed, below, and try again.`
});
