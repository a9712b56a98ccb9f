import { conditionLabel } from './conditions';
import { kindLabel } from './kinds';
import { formatPriceRange, formatUsd } from './money';
import { ROUTES, type RouteCode } from './routes';
import type { Listing } from '../schemas/listing';

export interface ListingLine {
	key: string;
	label: string;
	value: string;
}

const none = '—';

/** A listing as label/value lines, one per field and per route, for review and comparison. */
export function listingLines(listing: Listing): ListingLine[] {
	const offers = new Map(listing.routes.map((r) => [r.code as RouteCode, r]));
	return [
		{ key: 'name', label: 'Name', value: listing.name },
		{ key: 'kinds', label: 'Kinds', value: listing.kinds.map(kindLabel).join(', ') },
		{ key: 'description', label: 'Description', value: listing.description || none },
		{ key: 'street', label: 'Street', value: listing.street ?? none },
		{ key: 'city', label: 'City', value: listing.city },
		{ key: 'state', label: 'State', value: listing.state },
		{ key: 'zip', label: 'ZIP', value: listing.zip },
		{ key: 'phone', label: 'Phone', value: listing.phone ?? none },
		{ key: 'website', label: 'Website', value: listing.website ?? none },
		{ key: 'email', label: 'Public email', value: listing.email ?? none },
		...ROUTES.map((r) => {
			const offer = offers.get(r.code);
			const parts = offer
				? [
						formatPriceRange(offer.priceMin ?? null, offer.priceMax ?? null) ?? 'price not given',
						offer.seriesPrice !== undefined ? `series ${formatUsd(offer.seriesPrice)}` : null,
						offer.notes ?? null
					].filter(Boolean)
				: ['not offered'];
			return { key: `routes.${r.code}`, label: r.label, value: parts.join('; ') };
		}),
		{
			key: 'consultFee',
			label: 'Consultation fee',
			value: listing.consultFee !== undefined ? formatUsd(listing.consultFee) : none
		},
		{
			key: 'acceptsInsurance',
			label: 'Accepts insurance',
			value: listing.acceptsInsurance ? 'Yes' : 'No'
		},
		{ key: 'insuranceNotes', label: 'Insurance notes', value: listing.insuranceNotes ?? none },
		{
			key: 'offersPsychotherapy',
			label: 'Psychotherapy / integration',
			value: listing.offersPsychotherapy ? 'Yes' : 'No'
		},
		{
			key: 'telehealthStates',
			label: 'Telehealth licences',
			value: listing.telehealthStates.join(', ') || none
		},
		{
			key: 'conditions',
			label: 'Conditions treated',
			value: listing.conditions.map(conditionLabel).join(', ') || none
		}
	];
}
