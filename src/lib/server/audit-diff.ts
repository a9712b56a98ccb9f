import { conditionLabel, type ConditionCode } from '../domain/conditions';
import { kindLabel, type ProviderKind } from '../domain/kinds';
import { formatPriceRange, formatUsd } from '../domain/money';
import { ROUTES } from '../domain/routes';

/** An audit entry's before and after, field by field, in words a moderator reads. */

export interface AuditChange {
	key: string;
	/** The field in words. */
	label: string;
	before: string;
	after: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const ABSENT = '—';
const MAX_SHOWN = 160;

/** Field names in words; listing fields as the listing form calls them. */
const FIELD_LABELS: Record<string, string> = {
	slug: 'Address (slug)',
	status: 'Status',
	lat: 'Map latitude',
	lng: 'Map longitude',
	lastVerifiedAt: 'Last verified',
	name: 'Name',
	kinds: 'Kinds',
	description: 'Description',
	street: 'Street',
	city: 'City',
	state: 'State',
	zip: 'ZIP',
	phone: 'Phone',
	website: 'Website',
	email: 'Email',
	consultFee: 'Consultation fee',
	acceptsInsurance: 'Accepts insurance',
	insuranceNotes: 'Insurance notes',
	offersPsychotherapy: 'Psychotherapy / integration',
	telehealthStates: 'Telehealth licences',
	conditions: 'Conditions treated',
	role: 'Role',
	disabledAt: 'Disabled',
	password: 'Password',
	sessionsEnded: 'Sessions ended',
	reportsClosed: 'Reports closed',
	applied: 'Applied from the request',
	kept: 'Kept (moderator’s choice)',
	listing: 'Listing address',
	providerId: 'Listing',
	title: 'Title',
	body: 'Note',
	retiredAt: 'Retired',
	...Object.fromEntries(ROUTES.map((r) => [`routes.${r.code}`, r.label]))
};

const fieldLabel = (key: string) => FIELD_LABELS[key] ?? key;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const when = new Intl.DateTimeFormat('en-US', {
	dateStyle: 'medium',
	timeStyle: 'short',
	timeZone: 'UTC'
});

/** One value as a person reads it. */
function readable(key: string, value: unknown): string {
	if (value === undefined || value === null || value === '') return ABSENT;
	if (typeof value === 'boolean') return value ? 'Yes' : 'No';
	if (typeof value === 'string' && ISO_TIME.test(value)) {
		const time = new Date(value);
		return Number.isNaN(time.getTime()) ? value : `${when.format(time)} UTC`;
	}
	if (key === 'consultFee' && typeof value === 'number') return formatUsd(value);
	if (Array.isArray(value)) {
		if (value.length === 0) return 'none';
		if (key === 'kinds') return value.map((k) => kindLabel(k as ProviderKind)).join(', ');
		if (key === 'conditions')
			return value.map((c) => conditionLabel(c as ConditionCode)).join(', ');
		if (key === 'applied' || key === 'kept')
			return value.map((k) => fieldLabel(String(k))).join(', ');
		if (key === 'reportsClosed') return String(value.length);
		return value.map((v) => (typeof v === 'string' ? v : readable('', v))).join(', ');
	}
	if (isRecord(value)) {
		return Object.entries(value)
			.map(([k, v]) => `${fieldLabel(k)}: ${readable(k, v)}`)
			.join('; ');
	}
	// Audit values are JSON, so what is left is a string or a number.
	if (typeof value === 'string' || typeof value === 'number') return String(value);
	return JSON.stringify(value);
}

/** A route offer as the listing shows it. */
function offerText(offer: Record<string, unknown>): string {
	const n = (v: unknown) => (typeof v === 'number' ? v : null);
	return [
		formatPriceRange(n(offer.priceMin), n(offer.priceMax)) ?? 'price not given',
		typeof offer.seriesPrice === 'number' ? `series ${formatUsd(offer.seriesPrice)}` : null,
		typeof offer.notes === 'string' ? offer.notes : null
	]
		.filter(Boolean)
		.join('; ');
}

/** A listing's `routes` list as one field per route offered (`routes.iv`: "$400–$650"). */
function spreadRoutes(record: Record<string, unknown>, other: Record<string, unknown>) {
	if (!Array.isArray(record.routes) && !Array.isArray(other.routes)) return record;
	const { routes, ...rest } = record;
	const offers = new Map(
		(Array.isArray(routes) ? routes : [])
			.filter(isRecord)
			.map((r) => [String(r.code), offerText(r)] as const)
	);
	const codes = new Set([
		...offers.keys(),
		...(Array.isArray(other.routes) ? other.routes.filter(isRecord).map((r) => String(r.code)) : [])
	]);
	const spread: Record<string, unknown> = { ...rest };
	for (const code of ROUTES.map((r) => r.code as string).filter((c) => codes.has(c))) {
		spread[`routes.${code}`] = Array.isArray(routes)
			? (offers.get(code) ?? 'not offered')
			: undefined;
	}
	return spread;
}

function compact(text: string): string {
	return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

/**
 * The fields whose values differ between `before` and `after`, in first-seen order, each with
 * its name and both values in words ("—" when absent). Non-object values compare as one "value".
 */
export function diff(before: unknown, after: unknown): AuditChange[] {
	const b0 = isRecord(before) ? before : before == null ? {} : { value: before };
	const a0 = isRecord(after) ? after : after == null ? {} : { value: after };
	const b = spreadRoutes(b0, a0);
	const a = spreadRoutes(a0, b0);
	const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
	return keys
		.filter((key) => JSON.stringify(b[key]) !== JSON.stringify(a[key]))
		.map((key) => ({
			key,
			label: fieldLabel(key),
			before: compact(readable(key, b[key])),
			after: compact(readable(key, a[key]))
		}));
}
