import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { brief, EMPTY_SUMMARY } from '$lib/domain/feedback';
import type { ProviderSummary } from '$lib/domain/provider';
import ProviderCard from './ProviderCard.svelte';

const provider: ProviderSummary = {
	slug: 'quiet-clinic',
	name: 'Quiet Clinic',
	kinds: ['clinic'],
	city: 'Austin',
	state: 'TX',
	zip: '78701',
	lat: 30.27,
	lng: -97.74,
	offersPsychotherapy: false,
	acceptsInsurance: false,
	acceptingNewPatients: 'unknown',
	acceptingConfirmedOn: null,
	isDemo: false,
	routes: [
		{ code: 'iv', priceMin: 400, priceMax: 650 },
		{ code: 'im', priceMin: null, priceMax: null }
	],
	telehealthStates: [],
	feedback: brief(EMPTY_SUMMARY, 0)
};

const text = (html: string) =>
	html
		.replace(/<!--.*?-->/g, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ');

describe('ProviderCard', () => {
	it('says “Ask the provider” for a route without a listed price, as the profile does', () => {
		const { body } = render(ProviderCard, { props: { provider } });
		expect(text(body)).toContain('IV infusion $400–$650 per session');
		expect(text(body)).toContain('IM injection Ask the provider');
	});

	it('prints a distance under a tenth of a mile as “under 0.1 mi”, never “0.0 mi”', () => {
		const at = (distanceMiles: number) =>
			text(render(ProviderCard, { props: { provider, distanceMiles } }).body);
		expect(at(0)).toContain('under 0.1 mi');
		expect(at(0)).not.toContain('0.0 mi');
		expect(at(0.1)).toContain('0.1 mi');
		expect(at(12.4)).toContain('12.4 mi');
	});
});
