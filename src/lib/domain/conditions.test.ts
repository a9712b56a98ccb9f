import { describe, expect, it } from 'vitest';
import { CONDITION_CODES, CONDITIONS, conditionLabel } from './conditions';

describe('conditions', () => {
	it('lists the 22 conditions of the domain brief once each', () => {
		expect(CONDITIONS).toHaveLength(22);
		expect(new Set(CONDITION_CODES).size).toBe(22);
		expect(CONDITION_CODES.slice(0, 2)).toEqual(['mdd', 'trd']);
		expect(CONDITION_CODES).toContain('chronic_pain');
	});

	it('labels conditions as patients name them', () => {
		expect(conditionLabel('mdd')).toBe('Major depression (MDD)');
		expect(conditionLabel('trd')).toBe('Treatment-resistant depression (TRD)');
		expect(conditionLabel('ptsd')).toBe('PTSD / CPTSD');
		expect(conditionLabel('dementia')).toBe("Alzheimer's / dementia");
	});
});
