import type { ProviderKind } from './kinds';

/** How a profile offers to call, visit or find a provider. Pure: nothing is fetched. */

export interface Whereabouts {
	name: string;
	kinds: readonly ProviderKind[];
	street: string | null;
	city: string;
	state: string;
	zip: string;
}

/** Patients can go there: every kind but telehealth is seen in person. */
export function seenInPerson(kinds: readonly ProviderKind[]): boolean {
	return kinds.some((k) => k !== 'telehealth');
}

/** "1042 Maple Dr, Austin, TX 78701" (the street left out when unknown). */
export function postalAddress(p: Whereabouts): string {
	const place = `${p.city}, ${p.state} ${p.zip}`;
	return p.street ? `${p.street}, ${place}` : place;
}

/** A `tel:` link for a listed number: digits and a leading +, nothing else. */
export function telHref(phone: string): string {
	return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/**
 * A plain Google Maps directions link to the provider (followed only if the patient taps it), or
 * null for a telehealth-only service: there is nowhere to go. Without a street, the name and the
 * town let the map find the place.
 */
export function directionsUrl(p: Whereabouts): string | null {
	if (!seenInPerson(p.kinds)) return null;
	const destination = p.street ? postalAddress(p) : `${p.name}, ${postalAddress(p)}`;
	const url = new URL('https://www.google.com/maps/dir/');
	url.searchParams.set('api', '1');
	url.searchParams.set('destination', destination);
	return url.toString();
}
