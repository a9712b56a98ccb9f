import { describe, expect, it } from 'vitest';
import {
	adminListingSchema,
	listingFieldErrors,
	listingRequestSchema,
	listingSchema,
	listingToFlat,
	nestListing
} from './listing';

const minimal = {
	name: 'Calm Mind',
	kinds: 'clinic',
	city: 'Austin',
	state: 'TX',
	zip: '78701',
	'routes.iv': 'on'
};

function errorsFor(flat: Record<string, string | string[]>) {
	const result = listingRequestSchema.safeParse(nestListing(flat));
	return result.success ? {} : listingFieldErrors(result.error);
}

const listingErrors = (flat: Record<string, string | string[]>) => {
	const {
		contactName: _n,
		contactEmail: _e,
		authorised: _a,
		idempotencyKey: _k,
		...rest
	} = errorsFor(flat);
	return rest;
};

describe('listingSchema', () => {
	it('reads a minimal form: one kind, one route, blanks as "not given"', () => {
		const parsed = listingSchema.parse(
			(nestListing({ ...minimal, phone: '', website: ' ', consultFee: '' }) as { listing: unknown })
				.listing
		);
		expect(parsed).toEqual({
			name: 'Calm Mind',
			kinds: ['clinic'],
			description: '',
			city: 'Austin',
			state: 'TX',
			zip: '78701',
			routes: [{ code: 'iv' }],
			acceptsInsurance: false,
			offersPsychotherapy: false,
			acceptingNewPatients: 'unknown',
			telehealthStates: [],
			conditions: []
		});
	});

	it('normalises what people type: phone, website, email, prices, ZIP+4, state case', () => {
		const parsed = listingSchema.parse(
			(
				nestListing({
					...minimal,
					name: '  Calm   Mind  ',
					state: 'tx',
					zip: '78701-2040',
					phone: '+1 512.555.0199',
					website: 'calm.example/path',
					email: ' Front@Calm.Example ',
					'routes.iv.priceMin': '$1,200',
					'routes.iv.priceMax': '1500.00',
					consultFee: '99.5',
					acceptsInsurance: 'on'
				}) as { listing: unknown }
			).listing
		);
		expect(parsed).toMatchObject({
			name: 'Calm Mind',
			state: 'TX',
			zip: '78701',
			phone: '(512) 555-0199',
			website: 'https://calm.example/path',
			email: 'front@calm.example',
			routes: [{ code: 'iv', priceMin: 1200, priceMax: 1500 }],
			consultFee: 100,
			acceptsInsurance: true
		});
	});

	it('gives each missing required field its own message', () => {
		expect(listingErrors({})).toEqual({
			name: 'Enter the name of the practice.',
			kinds: 'Choose at least one kind of practice.',
			city: 'Enter the city.',
			state: 'Choose the state.',
			zip: 'Enter the 5-digit ZIP code.',
			routes: 'Choose at least one treatment you offer.'
		});
	});

	it('reports bad values on the field they belong to', () => {
		expect(
			listingErrors({
				...minimal,
				kinds: ['clinic', 'spa'],
				zip: '7870',
				phone: '555-0199',
				website: 'not a site',
				email: 'nobody',
				'routes.iv.priceMin': '900',
				'routes.iv.priceMax': '400',
				'routes.troche.priceMin': 'cheap',
				'routes.troche': 'on',
				'routes.oral.seriesPrice': '-3',
				'routes.oral': 'on',
				consultFee: '200000',
				telehealthStates: ['TX', 'ZZ'],
				conditions: ['not-a-condition']
			})
		).toEqual({
			kinds: 'Choose kinds of practice from the list.',
			zip: 'Enter the 5-digit ZIP code, e.g. 78701.',
			phone: 'Enter a 10-digit US phone number, e.g. (512) 555-0123.',
			website: 'Enter the website address, e.g. https://example.com.',
			email: 'Enter an email address like name@example.com.',
			'routes.iv.priceMax': 'The highest price must be at least the lowest price.',
			'routes.troche.priceMin':
				'Enter the lowest price per session in US dollars, e.g. 450, or leave it blank.',
			'routes.oral.seriesPrice': 'The series price cannot be negative.',
			consultFee:
				'The consultation fee looks too high (over $100,000); check it, or leave it blank.',
			telehealthStates: 'Choose states from the list.',
			conditions: 'Choose conditions from the list.'
		});
	});

	it('refuses prices typed for a treatment left unticked instead of dropping them', () => {
		expect(listingErrors({ ...minimal, 'routes.rdt.priceMin': '60' })).toEqual({
			'routes.rdt': 'Tick this treatment if you offer it, or clear its prices and notes.'
		});
	});

	it('ties telehealth licences to the telehealth kind, and Spravato centers to Spravato', () => {
		expect(listingErrors({ ...minimal, kinds: ['telehealth'] })).toEqual({
			telehealthStates: 'Choose the states your clinicians are licensed to treat patients in.'
		});
		expect(listingErrors({ ...minimal, telehealthStates: 'CA' })).toEqual({
			telehealthStates: 'Tick “Telehealth” under kinds of practice, or clear the telehealth states.'
		});
		expect(listingErrors({ ...minimal, kinds: ['spravato'] })).toEqual({
			routes: 'A Spravato center offers Spravato: tick it under treatments.'
		});
		expect(listingErrors({ ...minimal, kinds: ['spravato'], 'routes.esketamine': 'on' })).toEqual(
			{}
		);
	});

	it('round-trips through the prefilled form unchanged', () => {
		const flat = {
			...minimal,
			kinds: ['clinic', 'telehealth'],
			description: 'Line one\nLine two',
			phone: '(512) 555-0101',
			'routes.iv.priceMin': '400',
			'routes.iv.seriesPrice': '2400',
			'routes.iv.notes': 'Six sessions',
			'routes.esketamine': 'on',
			offersPsychotherapy: 'on',
			telehealthStates: ['CA', 'TX'],
			conditions: ['ptsd']
		};
		const once = listingSchema.parse((nestListing(flat) as { listing: unknown }).listing);
		const twice = listingSchema.parse(
			(nestListing(listingToFlat(once)) as { listing: unknown }).listing
		);
		expect(twice).toEqual(once);
	});
});

describe('listingRequestSchema', () => {
	it('needs the private contact, a real email and the authorisation tick', () => {
		expect(errorsFor({ ...minimal, contactEmail: 'x@' })).toEqual({
			contactName: 'Enter your name.',
			contactEmail: 'Enter an email address like name@example.com.',
			authorised:
				'Please confirm you are authorised to list this practice and it holds the licences it needs.',
			idempotencyKey: 'Missing submission token; reload the page and try again.'
		});
		const ok = listingRequestSchema.parse(
			nestListing({
				...minimal,
				contactName: ' Dr. Vega ',
				contactEmail: 'Vega@Example.org',
				authorised: 'on',
				idempotencyKey: 'abcdefgh-1234'
			})
		);
		expect(ok).toMatchObject({ contactName: 'Dr. Vega', contactEmail: 'vega@example.org' });
	});
});

describe('adminListingSchema', () => {
	it('checks the slug and the coordinates', () => {
		const result = adminListingSchema.safeParse({
			...nestListing(minimal),
			slug: 'Bad Slug!',
			lat: '95',
			lng: 'west'
		});
		expect(result.success).toBe(false);
		expect(listingFieldErrors(result.error!)).toEqual({
			slug: 'Use lower-case letters, digits and single hyphens, e.g. calm-mind-austin.',
			lat: 'The latitude must be between -90 and 90.',
			lng: 'Enter the longitude in degrees, e.g. -97.74.'
		});
	});
});
