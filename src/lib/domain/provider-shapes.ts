import type { FeedbackBrief, FeedbackSummary } from './feedback';
import type { Listing, ProviderProfile, ProviderRecord, ProviderSummary } from './provider';
import {
	FIELDS,
	OFFER_FIELDS,
	offerOf,
	PROVIDER_CSV_COLUMNS,
	routeColumn,
	text,
	type FieldType,
	type SummaryKey,
	type Value
} from './provider-fields';
import { ROUTE_CODES } from './routes';

/**
 * The shapes a provider record takes, each generated from the field table
 * (./provider-fields.ts): the card and the profile the pages show, the API's JSON, and the CSV
 * row and JSON object of the exports.
 */

const isoDay = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : '');

/** Absent values as null, the way pages and the API show "not given". */
function nullable(value: Value): unknown {
	return Array.isArray(value) ? [...value] : (value ?? null);
}

function offers(listing: Listing, summaryOnly: boolean) {
	return listing.routes.map((offer) => {
		const out: Record<string, unknown> = { code: offer.code };
		for (const f of OFFER_FIELDS) {
			if (!summaryOnly || f.summary) out[f.key] = offer[f.key] ?? null;
		}
		return out;
	});
}

/** The listing's fields (all, or those a card shows) with absent values as null. */
function listingValues(listing: Listing, summaryOnly: boolean): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const f of FIELDS) {
		if (summaryOnly && !f.summary) continue;
		out[f.key] = f.type === 'routes' ? offers(listing, summaryOnly) : nullable(listing[f.key]);
	}
	return out;
}

/** What a card and a list entry show. */
export function toSummary(record: ProviderRecord, feedback: FeedbackBrief): ProviderSummary {
	return {
		slug: record.slug,
		lat: record.lat,
		lng: record.lng,
		isDemo: record.isDemo,
		...(listingValues(record.listing, true) as Pick<ProviderSummary, SummaryKey>),
		feedback
	};
}

/** What the profile page shows. */
export function toProfile(
	record: ProviderRecord,
	feedback: FeedbackSummary,
	heldCount: number
): ProviderProfile {
	return {
		id: record.id,
		slug: record.slug,
		lat: record.lat,
		lng: record.lng,
		isDemo: record.isDemo,
		lastVerifiedAt: record.lastVerifiedAt,
		updatedAt: record.updatedAt,
		...(listingValues(record.listing, false) as Pick<ProviderProfile, keyof Listing>),
		feedback,
		heldCount
	};
}

/** The API's JSON for a card or a profile, without its feedback (docs/api.md). */
export function providerApiJson(
	p: ProviderSummary | ProviderProfile,
	origin: string,
	detail: 'summary' | 'profile'
): Record<string, unknown> {
	const out: Record<string, unknown> = { slug: p.slug };
	for (const f of FIELDS) {
		if (detail === 'summary' && !f.summary) continue;
		out[f.key] = (p as unknown as Record<string, unknown>)[f.key];
	}
	Object.assign(out, {
		lat: p.lat,
		lng: p.lng,
		demo: p.isDemo,
		url: `${origin}/providers/${p.slug}`
	});
	if (detail === 'profile' && 'updatedAt' in p) {
		out.lastVerifiedAt = p.lastVerifiedAt?.toISOString() ?? null;
		out.updatedAt = p.updatedAt.toISOString();
	}
	return out;
}

// Files -----------------------------------------------------------------------------------------

export type Cells = Record<string, string>;

function cell(type: FieldType, value: Value): string {
	if (type === 'yesNo') return value ? 'yes' : 'no';
	// providerCells writes the routes itself; every other list holds codes.
	if (Array.isArray(value)) return (value as readonly string[]).join(';');
	return text(value as string | number | undefined);
}

/** A record as one CSV row (cells unescaped): the shape the import reads back. */
export function providerCells(
	record: Omit<ProviderRecord, 'id' | 'updatedAt' | 'isDemo' | 'version'>
): Cells {
	const { listing } = record;
	const cells: Cells = {
		slug: record.slug,
		lat: String(record.lat),
		lng: String(record.lng),
		status: record.status,
		last_verified: isoDay(record.lastVerifiedAt)
	};
	for (const f of FIELDS) {
		if (f.type !== 'routes') {
			cells[f.csv] = cell(f.type, listing[f.key]);
			continue;
		}
		cells[f.csv] = listing.routes.map((r) => r.code).join(';');
		for (const code of ROUTE_CODES) {
			const offer = offerOf(listing, code);
			for (const r of OFFER_FIELDS) cells[routeColumn(code, r.suffix)] = text(offer?.[r.key]);
		}
	}
	return cells;
}

export type ProviderJson = Record<string, string | number | boolean | string[] | null>;

/** A record with the CSV's keys, as JSON: prices as numbers, lists as arrays, blanks as null. */
export function providerExportJson(record: ProviderRecord): ProviderJson {
	const { listing } = record;
	const out: ProviderJson = {};
	for (const column of PROVIDER_CSV_COLUMNS) out[column] = null;
	Object.assign(out, {
		slug: record.slug,
		lat: record.lat,
		lng: record.lng,
		status: record.status,
		last_verified: isoDay(record.lastVerifiedAt) || null
	});
	for (const f of FIELDS) {
		if (f.type === 'routes') {
			out[f.csv] = listing.routes.map((r) => r.code);
			for (const code of ROUTE_CODES) {
				const offer = offerOf(listing, code);
				for (const r of OFFER_FIELDS) out[routeColumn(code, r.suffix)] = offer?.[r.key] ?? null;
			}
		} else {
			out[f.csv] = nullable(listing[f.key]) as ProviderJson[string];
		}
	}
	return out;
}
