import { describe, expect, it } from 'vitest';
import { IN_PERSON_KINDS, kindLabel, PROVIDER_KIND_CODES, PROVIDER_STATUSES } from './kinds';

describe('provider kinds', () => {
	it('has the four kinds of the domain brief', () => {
		expect(PROVIDER_KIND_CODES).toEqual(['clinic', 'telehealth', 'kap', 'spravato']);
	});

	it('treats every kind but telehealth as in person', () => {
		expect(IN_PERSON_KINDS).toEqual(['clinic', 'kap', 'spravato']);
	});

	it('labels each kind', () => {
		expect(kindLabel('clinic')).toBe('Clinic');
		expect(kindLabel('telehealth')).toBe('Telehealth');
		expect(kindLabel('kap')).toBe('Ketamine-assisted psychotherapy (KAP) practice');
		expect(kindLabel('spravato')).toBe('Spravato center');
	});

	it('knows the listing statuses', () => {
		expect(PROVIDER_STATUSES).toEqual(['published', 'pending', 'suspended']);
	});
});
