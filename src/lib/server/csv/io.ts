import { stringify } from 'csv-stringify/sync';
import { eq } from 'drizzle-orm';
import { FREE_TEXT_COLUMNS, PROVIDER_CSV_COLUMNS } from '../../domain/provider-fields';
import { providerCells, providerExportJson, type ProviderJson } from '../../domain/provider-shapes';
import * as audit from '../audit';
import type { Database } from '../db';
import { providers } from '../db/schema';
import { auditView, loadRecords, providerTransaction, writeListing } from '../providers';
import { planImport } from './plan';
import { FORMULA_START, isoDay } from './row';
import type { CsvReport } from './read';
import { describeError, log } from '../log';

/**
 * Bulk import and export of providers as CSV (docs/csv.md). A check (dry run) and an import run
 * the same plan; an import writes all rows in one transaction or nothing at all, through the
 * provider writer, one audit entry per provider.
 */

/** A dry run: what an import of `text` would do, and every problem that would stop it. */
export async function checkProvidersCsv(db: Database, text: string): Promise<CsvReport> {
	return (await planImport(db, text)).report;
}

/**
 * Imports every row in one transaction, validated again inside it with the matched providers
 * locked, with one audit entry per provider; nothing is written unless every row is valid.
 */
export async function importProvidersCsv(
	db: Database,
	text: string,
	actor: { id: number },
	source: string
): Promise<CsvReport> {
	let row: number | null = null;
	let report: CsvReport;
	try {
		report = await providerTransaction(db, async (tx) => {
			const { report: checked, planned } = await planImport(tx, text, { lock: true });
			if (!checked.ok) return checked;
			for (const p of planned) {
				row = p.row;
				const id = await writeListing(tx, p.listing, p.placement, p.existing?.id);
				await audit.record(tx, {
					actorId: actor.id,
					action: p.existing ? 'provider.import.update' : 'provider.import.create',
					entityType: 'provider',
					entityId: id,
					before: p.existing ? auditView(p.existing) : null,
					after: auditView({ ...p.placement, listing: p.listing }),
					reason: `CSV import: ${source}`.slice(0, 500)
				});
			}
			return checked;
		});
	} catch (err) {
		log.error({ err: describeError(err) }, 'CSV import failed');
		const cause = (err as { cause?: { message?: string }; message?: string }).cause?.message;
		return {
			ok: false,
			rows: 0,
			creates: 0,
			updates: 0,
			errors: [
				{
					row,
					column: null,
					message: `Saving failed, so nothing was imported${cause ? ` (${cause})` : ''}. Another change may have happened at the same time; check the file again and retry.`
				}
			]
		};
	}
	return report;
}

// Exports -------------------------------------------------------------------------------------

const published = eq(providers.status, 'published');

/** Published providers as CSV with every column, re-importable as updates. */
export async function exportPublishedCsv(db: Database): Promise<string> {
	const records = await loadRecords(db, published);
	const rows = records.map((record) => {
		const cells = providerCells(record);
		return PROVIDER_CSV_COLUMNS.map((column) => {
			const value = cells[column] ?? '';
			return FREE_TEXT_COLUMNS.has(column) && FORMULA_START.test(value) ? `'${value}` : value;
		});
	});
	return stringify([[...PROVIDER_CSV_COLUMNS], ...rows], {
		bom: true,
		record_delimiter: 'windows'
	});
}

/** Published providers with the CSV's fields: prices as numbers, lists as arrays, blanks as null. */
export async function exportPublishedJson(db: Database): Promise<ProviderJson[]> {
	return (await loadRecords(db, published)).map(providerExportJson);
}

/** `providers-2025-03-31.csv`: the date of the export, for Content-Disposition. */
export function exportFilename(extension: 'csv' | 'json', now = new Date()): string {
	return `providers-${isoDay(now)}.${extension}`;
}
