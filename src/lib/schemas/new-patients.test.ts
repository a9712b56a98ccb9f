import { describe, expect, it } from 'vitest';
import { isoToday } from '../domain/new-patients';
import { listingFieldErrors, listingSchema, nestListing } from './listing';

const minimal = {
	name: 'Calm Mind',
	kinds: 'clinic',
	city: 'Austin',
	state: 'TX',
	zip: '78701',
	'routes.iv': 'on'
};

const parse = (flat: Record<string, string>) =>
	listingSchema.safeParse((nestListing({ ...minimal, ...flat }) as { listing: unknown }).listing);

function errors(flat: Record<string, string>) {
	const result = parse(flat);
	return result.success ? {} : listingFieldErrors(result.error);
}

describe('accepting new patients', () => {
	it('is "not known", without a date, when the form leaves it out', () => {
		const result = parse({});
		expect(result.success && result.data.acceptingNewPatients).toBe('unknown');
		expect(result.success && result.data.acceptingConfirmedOn).toBeUndefined();
	});

	it('keeps the day the answer was given, and dates an undated yes or no today', () => {
		const dated = parse({ acceptingNewPatients: 'yes', acceptingConfirmedOn: '2026-10-15' });
		expect(dated.success && dated.data.acceptingConfirmedOn).toBe('2026-10-15');
		const undated = parse({ acceptingNewPatients: 'No', acceptingConfirmedOn: '' });
		expect(undated.success && undated.data).toMatchObject({
			acceptingNewPatients: 'no',
			acceptingConfirmedOn: isoToday()
		});
	});

	it('names the field for an unknown answer or a bad, future or dangling date', () => {
		expect(errors({ acceptingNewPatients: 'maybe' })).toEqual({
			acceptingNewPatients: 'Choose whether you accept new patients: yes, no or not saying.'
		});
		expect(errors({ acceptingNewPatients: 'yes', acceptingConfirmedOn: '2026-02-30' })).toEqual({
			acceptingConfirmedOn:
				'Enter the day new patients were last confirmed as a date, e.g. 2026-11-30.'
		});
		expect(errors({ acceptingNewPatients: 'yes', acceptingConfirmedOn: '3026-01-01' })).toEqual({
			acceptingConfirmedOn: 'The day new patients were last confirmed cannot be in the future.'
		});
		expect(errors({ acceptingConfirmedOn: '2026-10-15' })).toEqual({
			acceptingConfirmedOn: 'Say whether you accept new patients, or clear this date.'
		});
	});
});
