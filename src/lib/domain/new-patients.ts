/**
 * Whether a provider takes new patients, as the provider (or a moderator who checked) last said,
 * and the day that was said. Waiting lists are the first wall a person in crisis hits, so an
 * answer without its date is never shown: "yes" from two years ago is not "yes".
 */
export const NEW_PATIENTS = [
	{ code: 'yes', label: 'Accepting new patients' },
	{ code: 'no', label: 'Not accepting new patients' },
	{ code: 'unknown', label: 'Not known' }
] as const;

export type NewPatients = (typeof NEW_PATIENTS)[number]['code'];

export const NEW_PATIENTS_CODES = NEW_PATIENTS.map((n) => n.code) as [
	NewPatients,
	...NewPatients[]
];

export function newPatientsLabel(code: NewPatients): string {
	return NEW_PATIENTS.find((n) => n.code === code)?.label ?? code;
}

const DAY = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

/** `2026-11-30` → `Nov 30, 2026` (the day as written, whatever the reader's time zone). */
export const formatDay = (isoDay: string) => DAY.format(new Date(`${isoDay}T00:00:00Z`));

/** "Accepting new patients (confirmed Nov 30, 2026)"; nothing when it is not known. */
export function newPatientsNote(code: NewPatients, confirmedOn: string | null | undefined) {
	if (code === 'unknown' || !confirmedOn) return null;
	return `${newPatientsLabel(code)} (confirmed ${formatDay(confirmedOn)})`;
}

/** Today as `YYYY-MM-DD` in UTC. */
export const isoToday = (now = new Date()) => now.toISOString().slice(0, 10);

/**
 * The answer and its date kept together: a yes or no given without a date was given today, and
 * "not known" has no date. Applied where listings are parsed and again where they are written (a
 * merge of two versions can take the answer from one and the date from the other).
 */
export function settleNewPatients<
	L extends { acceptingNewPatients: NewPatients; acceptingConfirmedOn?: string }
>(listing: L, today = isoToday()): L {
	if (listing.acceptingNewPatients === 'unknown') {
		if (listing.acceptingConfirmedOn === undefined) return listing;
		const { acceptingConfirmedOn: _, ...rest } = listing;
		return rest as L;
	}
	if (listing.acceptingConfirmedOn !== undefined) return listing;
	return { ...listing, acceptingConfirmedOn: today };
}
