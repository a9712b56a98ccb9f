import { describe, expect, it } from 'vitest';
import type { Listing } from './provider';
import {
	applyFields,
	fieldValue,
	LISTING_FIELD_KEYS,
	mergePlan,
	resolveMerge
} from './listing-merge';

const listing = (over: Partial<Listing> = {}): Listing => ({
	name: 'Cedar Clinic',
	kinds: ['clinic'],
	description: 'Infusions in Austin.',
	street: '1 Main St',
	city: 'Austin',
	state: 'TX',
	zip: '78701',
	phone: '(512) 555-0100',
	website: undefined,
	email: undefined,
	routes: [{ code: 'iv', priceMin: 400, priceMax: 650 }],
	consultFee: 350,
	acceptsInsurance: false,
	insuranceNotes: undefined,
	offersPsychotherapy: false,
	acceptingNewPatients: 'unknown',
	telehealthStates: [],
	conditions: ['trd'],
	...over
});

const outcomes = (plan: ReturnType<typeof mergePlan>) =>
	Object.fromEntries(plan.filter((f) => f.outcome !== 'keep').map((f) => [f.key, f.outcome]));

describe('three-way merge of an update request', () => {
	it('has one field per listing line, each route its own', () => {
		expect(LISTING_FIELD_KEYS).toContain('consultFee');
		expect(LISTING_FIELD_KEYS).toContain('routes.iv');
		expect(LISTING_FIELD_KEYS).toContain('routes.troche');
		expect(LISTING_FIELD_KEYS).not.toContain('routes');
	});

	it('keeps a moderator’s later change to a field the provider did not touch ($300 stays $300)', () => {
		const base = listing();
		const requested = listing({ phone: '(512) 555-0199' });
		const current = listing({ consultFee: 300 });
		const plan = mergePlan(base, requested, current);
		expect(outcomes(plan)).toEqual({ phone: 'take' });
		expect(plan.find((f) => f.key === 'consultFee')).toMatchObject({
			requested: false,
			changedSince: true,
			outcome: 'keep'
		});
		const { listing: merged, missing } = resolveMerge(plan, current, requested, {});
		expect(missing).toEqual([]);
		expect(merged.consultFee).toBe(300);
		expect(merged.phone).toBe('(512) 555-0199');
	});

	it('asks for a choice where both changed a field differently, and never picks one itself', () => {
		const base = listing();
		const requested = listing({ consultFee: 400 });
		const current = listing({ consultFee: 300 });
		const plan = mergePlan(base, requested, current);
		expect(outcomes(plan)).toEqual({ consultFee: 'choose' });
		expect(resolveMerge(plan, current, requested, {}).missing).toEqual(['consultFee']);
		expect(
			resolveMerge(plan, current, requested, { consultFee: 'current' }).listing.consultFee
		).toBe(300);
		expect(
			resolveMerge(plan, current, requested, { consultFee: 'requested' }).listing.consultFee
		).toBe(400);
	});

	it('agrees without asking when both made the same change', () => {
		const plan = mergePlan(
			listing(),
			listing({ consultFee: 300 }),
			listing({ consultFee: 300, city: 'Round Rock' })
		);
		expect(outcomes(plan)).toEqual({});
	});

	it('merges route offers one route at a time: added, removed and repriced', () => {
		const base = listing({
			routes: [
				{ code: 'iv', priceMin: 400, priceMax: 650 },
				{ code: 'im', priceMin: 200 }
			]
		});
		// The provider drops IM and adds troches; a moderator reprices IV meanwhile.
		const requested = listing({
			routes: [
				{ code: 'iv', priceMin: 400, priceMax: 650 },
				{ code: 'troche', priceMin: 75 }
			]
		});
		const current = listing({
			routes: [
				{ code: 'iv', priceMin: 450, priceMax: 700 },
				{ code: 'im', priceMin: 200 }
			]
		});
		const plan = mergePlan(base, requested, current);
		expect(outcomes(plan)).toEqual({ 'routes.im': 'take', 'routes.troche': 'take' });
		const merged = resolveMerge(plan, current, requested, {}).listing;
		expect(merged.routes).toEqual([
			{ code: 'iv', priceMin: 450, priceMax: 700 },
			{ code: 'troche', priceMin: 75 }
		]);
	});

	it('reads list order and blank text as no change', () => {
		const a = listing({ kinds: ['clinic', 'kap'], description: '' });
		const b = listing({ kinds: ['kap', 'clinic'], description: '' });
		expect(fieldValue(a, 'kinds')).toBe(fieldValue(b, 'kinds'));
		expect(outcomes(mergePlan(a, b, a))).toEqual({});
	});

	it('without a base, every difference is the moderator’s choice', () => {
		const plan = mergePlan(null, listing({ consultFee: 400 }), listing({ consultFee: 300 }));
		expect(outcomes(plan)).toEqual({ consultFee: 'choose' });
		expect(plan.find((f) => f.key === 'consultFee')?.changedSince).toBeNull();
	});

	it('copies what it takes, leaving the inputs as they were', () => {
		const current = listing();
		const requested = listing({ conditions: ['trd', 'ptsd'] });
		const merged = applyFields(current, requested, ['conditions']);
		merged.conditions.push('ocd');
		expect(current.conditions).toEqual(['trd']);
		expect(requested.conditions).toEqual(['trd', 'ptsd']);
	});
});
