import type { Listing } from './provider';
import { FIELDS } from './provider-fields';
import { CONDITION_CODES } from './conditions';
import { ROUTE_CODES, type RouteCode } from './routes';

/**
 * Applying a provider's update request to a listing that may have changed since they sent it: a
 * three-way merge, field by field, of the listing they saw (base), what they asked for (requested)
 * and the listing now (current). Fields are the rows of `listingLines`: each top-level listing
 * field, and each route's offer as one field (`routes.iv`).
 */

/** Each listing field, with each route's offer as a field of its own (`routes.iv`), in table order. */
export type ListingFieldKey = Exclude<keyof Listing, 'routes'> | `routes.${RouteCode}`;

export const LISTING_FIELD_KEYS: readonly ListingFieldKey[] = FIELDS.flatMap((f) =>
	f.key === 'routes' ? ROUTE_CODES.map((code) => `routes.${code}` as const) : [f.key]
);

const routeOf = (key: string): RouteCode | null =>
	key.startsWith('routes.') ? (key.slice('routes.'.length) as RouteCode) : null;

/** A field's value in a form that compares equal whenever the listing shows the same thing. */
export function fieldValue(listing: Listing, key: ListingFieldKey): string {
	const code = routeOf(key);
	if (code) {
		const offer = listing.routes.find((r) => r.code === code);
		if (!offer) return 'null';
		return JSON.stringify([
			offer.priceMin ?? null,
			offer.priceMax ?? null,
			offer.seriesPrice ?? null,
			offer.notes ?? null
		]);
	}
	const value = listing[key as keyof Omit<Listing, 'routes'>];
	if (key === 'kinds' || key === 'telehealthStates') {
		return JSON.stringify([...(value as string[])].sort());
	}
	if (key === 'conditions') {
		const order = (c: string) => CONDITION_CODES.indexOf(c as (typeof CONDITION_CODES)[number]);
		return JSON.stringify([...(value as string[])].sort((a, b) => order(a) - order(b)));
	}
	if (key === 'description') return JSON.stringify(value || null);
	return JSON.stringify(value ?? null);
}

export type MergeOutcome =
	/** The listing keeps its current value (the provider did not change it, or it already matches). */
	| 'keep'
	/** The provider's value is applied. */
	| 'take'
	/** Both the provider and someone else changed it, differently: a moderator must choose. */
	| 'choose';

export interface FieldMerge {
	key: ListingFieldKey;
	/** The provider asked for a value other than the one they saw. */
	requested: boolean;
	/** The listing changed since the provider saw it; null when that is not known. */
	changedSince: boolean | null;
	outcome: MergeOutcome;
}

/**
 * Field by field, what approving would do. Without a base (a request older than base snapshots,
 * made before a change to the listing), every difference between request and listing is a choice.
 */
export function mergePlan(
	base: Listing | null,
	requested: Listing,
	current: Listing
): FieldMerge[] {
	return LISTING_FIELD_KEYS.map((key) => {
		const r = fieldValue(requested, key);
		const c = fieldValue(current, key);
		if (base === null) {
			const differs = r !== c;
			return { key, requested: differs, changedSince: null, outcome: differs ? 'choose' : 'keep' };
		}
		const b = fieldValue(base, key);
		const requestedChange = r !== b;
		const changedSince = c !== b;
		const outcome: MergeOutcome =
			!requestedChange || r === c ? 'keep' : changedSince ? 'choose' : 'take';
		return { key, requested: requestedChange, changedSince, outcome };
	});
}

/** The current listing with the requested value of each field in `take`. */
export function applyFields(
	current: Listing,
	requested: Listing,
	take: Iterable<ListingFieldKey>
): Listing {
	const merged: Listing = {
		...current,
		kinds: [...current.kinds],
		routes: current.routes.map((r) => ({ ...r })),
		telehealthStates: [...current.telehealthStates],
		conditions: [...current.conditions]
	};
	const fields = merged as unknown as Record<string, unknown>;
	for (const key of take) {
		const code = routeOf(key);
		if (code) {
			const offer = requested.routes.find((r) => r.code === code);
			merged.routes = merged.routes.filter((r) => r.code !== code);
			if (offer) merged.routes.push({ ...offer });
		} else {
			const value = (requested as unknown as Record<string, unknown>)[key];
			fields[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
		}
	}
	merged.routes.sort((a, b) => ROUTE_CODES.indexOf(a.code) - ROUTE_CODES.indexOf(b.code));
	return merged;
}

export type MergeChoice = 'requested' | 'current';

/**
 * The listing approval writes: the plan's `take` fields, and for each `choose` field the value the
 * moderator chose. `missing` lists the choices not made; nothing is defaulted.
 */
export function resolveMerge(
	plan: FieldMerge[],
	current: Listing,
	requested: Listing,
	choices: Partial<Record<string, MergeChoice>>
): { listing: Listing; missing: ListingFieldKey[] } {
	const take: ListingFieldKey[] = [];
	const missing: ListingFieldKey[] = [];
	for (const field of plan) {
		if (field.outcome === 'take') take.push(field.key);
		if (field.outcome === 'choose') {
			const choice = choices[field.key];
			if (choice === 'requested') take.push(field.key);
			else if (choice !== 'current') missing.push(field.key);
		}
	}
	return { listing: applyFields(current, requested, take), missing };
}
