import { describe, expect, it } from 'vitest';
import { directionsUrl, postalAddress, seenInPerson, telHref, type Whereabouts } from './contact';

const clinic: Whereabouts = {
	name: 'Aspen Infusion Therapy',
	kinds: ['clinic'],
	street: '1042 Maple Dr #3',
	city: 'Richmond',
	state: 'VA',
	zip: '23220'
};

describe('postalAddress', () => {
	it('joins street, city, state and ZIP, leaving out an unknown street', () => {
		expect(postalAddress(clinic)).toBe('1042 Maple Dr #3, Richmond, VA 23220');
		expect(postalAddress({ ...clinic, street: null })).toBe('Richmond, VA 23220');
	});
});

describe('telHref', () => {
	it('keeps digits and a leading plus only', () => {
		expect(telHref('(804) 555-0134')).toBe('tel:8045550134');
		expect(telHref('+1 804.555.0134 ext')).toBe('tel:+18045550134');
	});
});

describe('directionsUrl', () => {
	it('is a Google Maps directions link to the street address, encoded', () => {
		const url = directionsUrl(clinic);
		expect(url).toBe(
			'https://www.google.com/maps/dir/?api=1&destination=1042+Maple+Dr+%233%2C+Richmond%2C+VA+23220'
		);
		expect(new URL(url!).searchParams.get('destination')).toBe(
			'1042 Maple Dr #3, Richmond, VA 23220'
		);
	});

	it('uses the name and town when the street is not listed', () => {
		const url = new URL(directionsUrl({ ...clinic, street: null })!);
		expect(url.searchParams.get('destination')).toBe('Aspen Infusion Therapy, Richmond, VA 23220');
	});

	it('is null for a telehealth-only service, and given for a clinic that also does telehealth', () => {
		expect(directionsUrl({ ...clinic, kinds: ['telehealth'] })).toBeNull();
		expect(directionsUrl({ ...clinic, kinds: ['clinic', 'telehealth'] })).not.toBeNull();
		expect(seenInPerson(['telehealth'])).toBe(false);
		expect(seenInPerson(['kap'])).toBe(true);
	});
});
