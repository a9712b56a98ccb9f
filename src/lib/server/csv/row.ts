import { CONDITION_CODES } from '../../domain/conditions';
import { PROVIDER_KIND_CODES, PROVIDER_STATUSES, type ProviderStatus } from '../../domain/kinds';
import type { Listing, ProviderRecord } from '../../domain/provider';
import {
	columnForPath,
	FIELDS,
	FREE_TEXT_COLUMNS,
	OFFER_FIELDS,
	PROVIDER_CSV_COLUMNS,
	routeColumn,
	type ListingField
} from '../../domain/provider-fields';
import { providerCells, type Cells } from '../../domain/provider-shapes';
import { ROUTE_CODES } from '../../domain/routes';
import { SLUG_PATTERN } from '../../domain/slug';
import { STATE_CODES, type StateCode } from '../../domain/states';
import { listingSchema } from '../../schemas/listing';
import { geocode } from '../geocode';
import { locate } from '../providers';

/**
 * One row of an import file, checked on its own: its cells (the file's, and for an update the
 * stored values of columns the file leaves out) turned into a listing, a map point, a status and
 * a verification date, each problem named by its column.
 */

/** Free text that a spreadsheet could run as a formula gets a leading apostrophe on export. */
export const FORMULA_START = /^[=+\-@\t\r]/;

export const isoDay = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : '');

function listCell(value: string): string[] {
	return value
		.split(/[;,]/)
		.map((v) => v.trim())
		.filter((v) => v !== '');
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0', '']);

const KIND_HELP = PROVIDER_KIND_CODES.join(', ');
const ROUTE_HELP = ROUTE_CODES.join(', ');

export interface RowPlan {
	row: number;
	existing: ProviderRecord | null;
	listing?: Listing;
	slug?: string;
	point?: { lat: number; lng: number };
	status?: ProviderStatus;
	lastVerifiedAt?: Date | null;
	errors: Map<string, string>;
}

export function fail(plan: RowPlan, column: string, message: string) {
	if (!plan.errors.has(column)) plan.errors.set(column, message);
}

/** Unknown codes in a list cell, reported once for the cell; the known codes are kept. */
function codes<T extends string>(
	plan: RowPlan,
	column: string,
	value: string,
	allowed: readonly T[],
	normalise: (v: string) => string,
	help: string
): T[] {
	const list = listCell(value).map(normalise);
	const unknown = list.filter((v) => !(allowed as readonly string[]).includes(v));
	if (unknown.length) {
		fail(
			plan,
			column,
			`Unknown ${unknown.length === 1 ? 'code' : 'codes'} ${unknown.map((u) => `“${u}”`).join(', ')}; ${help}`
		);
	}
	return [...new Set(list.filter((v) => !unknown.includes(v)))] as T[];
}

function yesNoCell(plan: RowPlan, column: string, value: string): boolean {
	const v = value.trim().toLowerCase();
	if (YES.has(v)) return true;
	if (!NO.has(v)) fail(plan, column, `Write yes or no (or leave it blank for no), not “${value}”.`);
	return false;
}

function coordinate(plan: RowPlan, column: 'lat' | 'lng', value: string): number | undefined {
	const limit = column === 'lat' ? 90 : 180;
	const what = column === 'lat' ? 'latitude' : 'longitude';
	if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value)) {
		fail(
			plan,
			column,
			`Write the ${what} as a number in degrees, e.g. ${column === 'lat' ? '30.27' : '-97.74'}.`
		);
		return undefined;
	}
	const n = Number(value);
	if (Math.abs(n) > limit) {
		fail(plan, column, `The ${what} must be between -${limit} and ${limit}.`);
		return undefined;
	}
	return n;
}

function verifiedDay(plan: RowPlan, value: string, existing: ProviderRecord | null): Date | null {
	if (value === '') return null;
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	// The pattern has three capture groups, so a match holds all three.
	const date = match ? new Date(Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!)) : null;
	if (!date || date.toISOString().slice(0, 10) !== value) {
		fail(
			plan,
			'last_verified',
			'Write the date as YYYY-MM-DD, e.g. 2025-03-31, or leave it blank.'
		);
		return null;
	}
	if (date.getTime() > Date.now()) {
		fail(plan, 'last_verified', 'The date last verified cannot be in the future.');
		return null;
	}
	// Same day as stored: keep the stored time, so an export re-imports without changing it.
	if (existing?.lastVerifiedAt && isoDay(existing.lastVerifiedAt) === value) {
		return existing.lastVerifiedAt;
	}
	return date;
}

/** Clearer words than the form's for the schema's cross-field rules. */
function csvMessage(column: string, message: string, kinds: string[]): string {
	if (column === 'state') return 'Use the two-letter state code, e.g. TX.';
	if (column === 'kinds') return `Give at least one kind: ${KIND_HELP}.`;
	if (column === 'routes' && message.startsWith('A Spravato')) {
		return 'A Spravato center offers Spravato: add esketamine to routes.';
	}
	if (column === 'routes') return `Give at least one route code: ${ROUTE_HELP}.`;
	if (column === 'telehealth_states') {
		return kinds.includes('telehealth')
			? 'A telehealth provider needs the states its clinicians are licensed in, e.g. TX;OK.'
			: 'Only telehealth providers have telehealth states: add telehealth to kinds or clear this cell.';
	}
	return message;
}

/** The cell values for one row: the file's, and for an update the stored values of columns the file leaves out. */
export function rowCells(
	columns: string[],
	cells: string[],
	existing: ProviderRecord | null
): Cells {
	const given: Cells = {};
	columns.forEach((column, i) => {
		if (column === '') return;
		let value = (cells[i] ?? '').trim();
		if (
			FREE_TEXT_COLUMNS.has(column) &&
			value.startsWith("'") &&
			FORMULA_START.test(value.slice(1))
		) {
			value = value.slice(1);
		}
		given[column] = value;
	});
	const stored = existing ? providerCells(existing) : {};
	const offered = new Set(listCell(given.routes ?? '').map((c) => c.toLowerCase()));
	const out: Cells = {};
	for (const column of PROVIDER_CSV_COLUMNS) {
		const value = given[column];
		if (value !== undefined) {
			out[column] = value;
			continue;
		}
		const routeCode = ROUTE_CODES.find((code) => column.startsWith(`${code}_`));
		// A route's stored prices only carry over while the file still lists the route.
		out[column] = routeCode && !offered.has(routeCode) ? '' : (stored[column] ?? '');
	}
	// Leaving out lat and lng keeps the stored point unless the file moves the provider.
	if (existing && !('lat' in given) && !('lng' in given)) {
		const moved =
			cellOf(out, 'zip').slice(0, 5) !== existing.listing.zip ||
			cellOf(out, 'state').toUpperCase() !== existing.listing.state;
		if (moved) out.lat = out.lng = '';
	}
	return out;
}

/** A column's cell: `rowCells` gives every provider column one, so a missing cell reads as blank. */
function cellOf(cells: Cells, column: string): string {
	return cells[column] ?? '';
}

/** The code lists a cell can hold, how its codes are written, and the help for unknown ones. */
const CODE_LISTS = {
	kinds: { allowed: PROVIDER_KIND_CODES, normalise: lower, help: `use ${KIND_HELP}.` },
	routes: { allowed: ROUTE_CODES, normalise: lower, help: `use ${ROUTE_HELP}.` },
	states: {
		allowed: STATE_CODES,
		normalise: (v: string) => v.toUpperCase(),
		help: 'use two-letter state codes, e.g. TX;OK.'
	},
	conditions: {
		allowed: CONDITION_CODES,
		normalise: lower,
		help: 'see docs/csv.md for the condition codes.'
	}
} as const;

function lower(v: string) {
	return v.toLowerCase();
}

function checkSlugCell(plan: RowPlan, slug: string) {
	if (slug !== '' && !SLUG_PATTERN.test(slug.toLowerCase())) {
		fail(plan, 'slug', 'Use lower-case letters, digits and single hyphens, e.g. calm-mind-austin.');
	} else if (slug.length > 80) {
		fail(plan, 'slug', 'Keep the slug to 80 characters or fewer.');
	}
}

/** The offers of the listed routes from their price and notes columns; a filled cell of an unlisted route is a mistake. */
function offerCells(plan: RowPlan, cells: Cells, listed: readonly string[]) {
	const routes: Record<string, Record<string, string>> = {};
	for (const code of ROUTE_CODES) {
		const offer: Record<string, string> | null = listed.includes(code) ? {} : null;
		if (offer) routes[code] = offer;
		for (const f of OFFER_FIELDS) {
			const column = routeColumn(code, f.suffix);
			const value = cellOf(cells, column);
			if (value === '') continue;
			if (offer) offer[f.key] = value;
			else {
				fail(
					plan,
					column,
					`${column} is filled in but routes does not list ${code}; add ${code} to routes or clear this cell.`
				);
			}
		}
	}
	return routes;
}

/** One field's cell as the listing schema takes it. */
function fieldInput(plan: RowPlan, cells: Cells, f: ListingField): unknown {
	const value = cellOf(cells, f.csv);
	switch (f.type) {
		case 'yesNo':
			return yesNoCell(plan, f.csv, value);
		case 'kinds':
		case 'states':
		case 'conditions': {
			const list = CODE_LISTS[f.type];
			return codes(plan, f.csv, value, list.allowed, list.normalise, list.help);
		}
		case 'routes': {
			const { allowed, normalise, help } = CODE_LISTS.routes;
			return offerCells(plan, cells, codes(plan, f.csv, value, allowed, normalise, help));
		}
		default:
			return value;
	}
}

/** The listing a row holds, checked by the listing schema, its problems named by column. */
function listingCells(plan: RowPlan, cells: Cells) {
	const input = Object.fromEntries(FIELDS.map((f) => [f.key, fieldInput(plan, cells, f)]));
	const parsed = listingSchema.safeParse(input);
	if (parsed.success) {
		plan.listing = parsed.data;
		return;
	}
	const kinds = (input.kinds as string[] | undefined) ?? [];
	for (const issue of parsed.error.issues) {
		const column = columnForPath(issue.path);
		fail(plan, column, csvMessage(column, issue.message, kinds));
	}
}

/** Where the row puts the provider: its lat and lng, or its ZIP's centre, which must be in its state. */
function placeRow(plan: RowPlan, cells: Cells) {
	// The ZIP is checked against the state even when other cells fail, so one check lists it all.
	const place = zipAndState(cellOf(cells, 'zip'), cellOf(cells, 'state'));
	const latCell = cellOf(cells, 'lat');
	const lngCell = cellOf(cells, 'lng');
	if (latCell === '' && lngCell === '') {
		if (place) {
			const located = locate(place);
			if (located.ok) plan.point = { lat: located.lat, lng: located.lng };
			else fail(plan, 'zip', located.message);
		}
	} else if (latCell === '' || lngCell === '') {
		const blank = latCell === '' ? 'lat' : 'lng';
		fail(
			plan,
			blank,
			'Give both lat and lng, or leave both blank to place the provider at its ZIP code.'
		);
	} else {
		const lat = coordinate(plan, 'lat', latCell);
		const lng = coordinate(plan, 'lng', lngCell);
		if (lat !== undefined && lng !== undefined) plan.point = { lat, lng };
		// A ZIP missing from the offline list is fine with an explicit point; one in another state is not.
		if (place && geocode(place.zip).ok) {
			const located = locate(place);
			if (!located.ok) fail(plan, 'zip', located.message);
		}
	}
}

function statusCell(plan: RowPlan, value: string) {
	const status = value.toLowerCase() || 'published';
	if ((PROVIDER_STATUSES as readonly string[]).includes(status)) {
		plan.status = status as ProviderStatus;
	} else {
		fail(
			plan,
			'status',
			`Write published, pending or suspended (blank means published), not “${value}”.`
		);
	}
}

/** One row checked on its own: every cell, as the forms check a listing. */
export function planRow(row: number, cells: Cells, existing: ProviderRecord | null): RowPlan {
	const plan: RowPlan = { row, existing, errors: new Map() };
	checkSlugCell(plan, cellOf(cells, 'slug'));
	listingCells(plan, cells);
	placeRow(plan, cells);
	statusCell(plan, cellOf(cells, 'status'));
	plan.lastVerifiedAt = verifiedDay(plan, cellOf(cells, 'last_verified'), existing);
	return plan;
}

/** A row's ZIP and state when both are well-formed on their own, for the ZIP-in-state check. */
function zipAndState(zip: string, state: string): { zip: string; state: StateCode } | null {
	const code = state.trim().toUpperCase();
	if (!/^\d{5}(-\d{4})?$/.test(zip.trim()) || !(STATE_CODES as readonly string[]).includes(code)) {
		return null;
	}
	return { zip: zip.trim().slice(0, 5), state: code as StateCode };
}
