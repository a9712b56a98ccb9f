/** Kinds of provider (../shared/DOMAIN.md). A provider can be several at once. */
export const PROVIDER_KINDS = [
	{ code: 'clinic', label: 'Clinic', inPerson: true },
	{ code: 'telehealth', label: 'Telehealth', inPerson: false },
	{ code: 'kap', label: 'Ketamine-assisted psychotherapy (KAP) practice', inPerson: true },
	{ code: 'spravato', label: 'Spravato center', inPerson: true }
] as const;

export type ProviderKind = (typeof PROVIDER_KINDS)[number]['code'];

export const PROVIDER_KIND_CODES = PROVIDER_KINDS.map((k) => k.code) as [
	ProviderKind,
	...ProviderKind[]
];

/** Kinds that see patients at their address; a provider with one of these serves its own state. */
export const IN_PERSON_KINDS = PROVIDER_KINDS.filter((k) => k.inPerson).map((k) => k.code);

const byCode = new Map<string, (typeof PROVIDER_KINDS)[number]>(
	PROVIDER_KINDS.map((k) => [k.code, k])
);

export function kindLabel(code: ProviderKind): string {
	return byCode.get(code)?.label ?? code;
}

export const PROVIDER_STATUSES = ['published', 'pending', 'suspended'] as const;
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];
