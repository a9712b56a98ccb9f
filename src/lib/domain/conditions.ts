/** Conditions patients report treating (../shared/DOMAIN.md). */
export const CONDITIONS = [
	{ code: 'mdd', label: 'Major depression (MDD)' },
	{ code: 'trd', label: 'Treatment-resistant depression (TRD)' },
	{ code: 'suicidal_ideation', label: 'Suicidal ideation' },
	{ code: 'bipolar_1', label: 'Bipolar I' },
	{ code: 'bipolar_2', label: 'Bipolar II' },
	{ code: 'mood_instability', label: 'Mood instability' },
	{ code: 'ptsd', label: 'PTSD / CPTSD' },
	{ code: 'triggers', label: 'Triggers' },
	{ code: 'anxiety', label: 'Anxiety' },
	{ code: 'panic', label: 'Panic disorders' },
	{ code: 'ocd', label: 'OCD' },
	{ code: 'intrusive_thoughts', label: 'Intrusive thoughts' },
	{ code: 'rumination', label: 'Rumination' },
	{ code: 'substance_use', label: 'Substance use' },
	{ code: 'adhd', label: 'ADD / ADHD' },
	{ code: 'personality_disorders', label: 'Personality disorders' },
	{ code: 'anger', label: 'Anger' },
	{ code: 'psychosis', label: 'Psychosis' },
	{ code: 'schizophrenia', label: 'Schizophrenia' },
	{ code: 'autism', label: 'Autism' },
	{ code: 'dementia', label: "Alzheimer's / dementia" },
	{ code: 'chronic_pain', label: 'Chronic or neuropathic pain' }
] as const;

export type ConditionCode = (typeof CONDITIONS)[number]['code'];

export const CONDITION_CODES = CONDITIONS.map((c) => c.code) as [ConditionCode, ...ConditionCode[]];

const byCode = new Map<string, (typeof CONDITIONS)[number]>(CONDITIONS.map((c) => [c.code, c]));

export function conditionLabel(code: ConditionCode): string {
	return byCode.get(code)?.label ?? code;
}
