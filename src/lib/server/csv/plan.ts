import { eq, inArray } from 'drizzle-orm';
import type { Listing, Placement, ProviderRecord } from '../../domain/provider';
import { PROVIDER_CSV_COLUMNS } from '../../domain/provider-fields';
import { slugify } from '../../domain/slug';
import type { Database } from '../db';
import { providers, providerSlugHistory } from '../db/schema';
import { loadRecords } from '../providers';
import { readProvidersCsv, type CsvProblem, type CsvReport, type CsvTable } from './read';
import { fail, planRow, rowCells, type RowPlan } from './row';

/**
 * Planning an import: every row of a file checked (./row.ts) against the directory as it stands
 * — which provider it updates or adds, at which slug and map point.
 */

export interface Planned {
	row: number;
	listing: Listing;
	placement: Placement;
	existing: ProviderRecord | null;
}

const sameName = (name: string, city: string, state: string) =>
	[name, city, state].map((v) => v.trim().toLowerCase().replace(/\s+/g, ' ')).join('|');

/** What the directory holds that a file's slugs are checked against. */
interface Directory {
	/** The providers the file names by slug, as records. */
	existing: Map<string, ProviderRecord>;
	everyone: { slug: string; name: string; city: string; state: string }[];
	/** Slugs providers had before a rename: they still lead there, never to a new provider. */
	former: Map<string, { slug: string; name: string; now: string }>;
}

async function directoryFor(
	db: Database,
	fileSlugs: string[],
	options: { lock?: boolean }
): Promise<Directory> {
	const [matched, everyone, former] = await Promise.all([
		fileSlugs.length ? loadRecords(db, inArray(providers.slug, fileSlugs), options) : [],
		db
			.select({
				slug: providers.slug,
				name: providers.name,
				city: providers.city,
				state: providers.state
			})
			.from(providers),
		db
			.select({ slug: providerSlugHistory.slug, name: providers.name, now: providers.slug })
			.from(providerSlugHistory)
			.innerJoin(providers, eq(providers.id, providerSlugHistory.providerId))
	]);
	return {
		existing: new Map(matched.map((r) => [r.slug, r])),
		everyone,
		former: new Map(former.map((f) => [f.slug, f]))
	};
}

/** Each provider once per file, and never under a slug that now belongs to another address. */
function checkFileSlugs(plans: RowPlan[], slugs: string[], dir: Directory) {
	const rowsBySlug = new Map<string, number[]>();
	plans.forEach((plan, i) => {
		const slug = slugs[i];
		if (slug) rowsBySlug.set(slug, [...(rowsBySlug.get(slug) ?? []), plan.row]);
	});
	plans.forEach((plan, i) => {
		// slugsOf gives one slug per row, blank when the row has none.
		const slug = slugs[i] ?? '';
		const moved = dir.existing.has(slug) ? undefined : dir.former.get(slug);
		if (moved) {
			fail(
				plan,
				'slug',
				`“${slug}” is the old address of ${moved.name}, now “${moved.now}”: put “${moved.now}” here to update that listing, or another slug to add a new one.`
			);
		}
		const others = (rowsBySlug.get(slug) ?? []).filter((r) => r !== plan.row);
		if (others.length) {
			fail(
				plan,
				'slug',
				`The slug “${slug}” is also on row${others.length > 1 ? 's' : ''} ${others.join(', ')}; each provider can appear only once.`
			);
		}
	});
}

/** Blank slugs: new providers under fresh slugs, unless they look like one already listed. */
function assignSlugs(plans: RowPlan[], slugs: string[], dir: Directory) {
	const taken = new Set([
		...dir.everyone.map((p) => p.slug),
		...dir.former.keys(),
		...slugs.filter(Boolean)
	]);
	const listed = new Map(dir.everyone.map((p) => [sameName(p.name, p.city, p.state), p.slug]));
	const addedBy = new Map<string, number>();
	plans.forEach((plan, i) => {
		if (slugs[i]) {
			plan.slug = slugs[i];
			return;
		}
		if (!plan.listing) return;
		const { name, city, state } = plan.listing;
		const key = sameName(name, city, state);
		const already = listed.get(key);
		if (already !== undefined) {
			fail(
				plan,
				'slug',
				`${name} in ${city}, ${state} is already listed as “${already}”: put that slug here to update it, or a new slug to add a second listing.`
			);
			return;
		}
		const earlier = addedBy.get(key);
		if (earlier !== undefined) {
			fail(
				plan,
				'slug',
				`Row ${earlier} already adds ${name} in ${city}, ${state}; give one of them a slug if both are wanted.`
			);
			return;
		}
		addedBy.set(key, plan.row);
		plan.slug = freshSlug(`${name}-${city}`, taken);
	});
}

/** `base` as a slug, numbered past those `taken`; it is then taken too. */
function freshSlug(base: string, taken: Set<string>): string {
	const stem = slugify(base) || 'provider';
	let candidate = stem;
	for (let n = 2; taken.has(candidate); n++) candidate = `${stem}-${n}`;
	taken.add(candidate);
	return candidate;
}

const columnOrder = (c: string) => {
	const i = PROVIDER_CSV_COLUMNS.indexOf(c);
	return i === -1 ? PROVIDER_CSV_COLUMNS.length : i;
};

/** Every problem by row and column, and the rows ready to write. */
function report(plans: RowPlan[]): { report: CsvReport; planned: Planned[] } {
	const errors: CsvProblem[] = [];
	const planned: Planned[] = [];
	for (const plan of plans) {
		const problems = [...plan.errors].sort((a, b) => columnOrder(a[0]) - columnOrder(b[0]));
		for (const [column, message] of problems) {
			errors.push({ row: plan.row, column: column || null, message });
		}
		if (problems.length === 0 && plan.listing && plan.slug && plan.point && plan.status) {
			planned.push({
				row: plan.row,
				listing: plan.listing,
				existing: plan.existing,
				placement: {
					slug: plan.slug,
					...plan.point,
					status: plan.status,
					lastVerifiedAt: plan.lastVerifiedAt ?? null
				}
			});
		}
	}
	const updates = plans.filter((p) => p.existing).length;
	return {
		report: {
			ok: errors.length === 0,
			rows: plans.length,
			creates: plans.length - updates,
			updates,
			errors
		},
		planned
	};
}

/** Each row's slug as written (lower case), or '' where it is blank or the file has no slug column. */
function slugsOf({ columns, records }: CsvTable): string[] {
	const slugIndex = columns.indexOf('slug');
	return records.map(({ cells }) =>
		slugIndex === -1 ? '' : (cells[slugIndex] ?? '').trim().toLowerCase()
	);
}

/** Cells past the last column name are a stray comma, unless they are blank. */
function checkStrayCells(plan: RowPlan, cells: string[], columns: string[]) {
	if (cells.length > columns.length && cells.slice(columns.length).some((c) => c.trim() !== '')) {
		fail(plan, '', 'This row has more cells than there are column names; check for a stray comma.');
	}
}

/** Every row checked on its own, an update against the provider its slug names. */
function planRows({ columns, records }: CsvTable, slugs: string[], dir: Directory): RowPlan[] {
	return records.map(({ row, cells }, i) => {
		const match = dir.existing.get(slugs[i] ?? '') ?? null;
		const plan = planRow(row, rowCells(columns, cells, match), match);
		checkStrayCells(plan, cells, columns);
		return plan;
	});
}

/**
 * Validates every row against the database as it stands: a slug already in use means "update
 * that provider"; a blank slug means "add one" under a fresh slug made from name and city.
 */
export async function planImport(
	db: Database,
	text: string,
	options: { lock?: boolean } = {}
): Promise<{ report: CsvReport; planned: Planned[] }> {
	const table = readProvidersCsv(text);
	if ('errors' in table) {
		return {
			report: { ok: false, rows: 0, creates: 0, updates: 0, errors: table.errors },
			planned: []
		};
	}
	const slugs = slugsOf(table);
	const dir = await directoryFor(db, [...new Set(slugs.filter((s) => s !== ''))], options);
	const plans = planRows(table, slugs, dir);
	checkFileSlugs(plans, slugs, dir);
	assignSlugs(plans, slugs, dir);
	return report(plans);
}
