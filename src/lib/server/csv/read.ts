import { parse } from 'csv-parse/sync';
import { PROVIDER_CSV_COLUMNS } from '../../domain/provider-fields';
import { withoutControlCharacters } from '../../forms/text';

/**
 * Reading a provider CSV (docs/csv.md): the file as a header and rows, or why it cannot be read.
 * The columns come from the provider field table.
 */

export { PROVIDER_CSV_COLUMNS };

export const REQUIRED_CSV_COLUMNS: readonly string[] = [
	'name',
	'kinds',
	'city',
	'state',
	'zip',
	'routes'
];

export const CSV_MAX_ROWS = 5_000;
export const CSV_MAX_BYTES = 5 * 1024 * 1024;

/** Where a problem is: spreadsheet row (the header is row 1) and column; null for the whole file. */
export interface CsvProblem {
	row: number | null;
	column: string | null;
	message: string;
}

export interface CsvReport {
	ok: boolean;
	/** Provider rows in the file (blank lines are not counted). */
	rows: number;
	/** Rows that add a provider (blank or unknown slug) and rows that rewrite one (known slug). */
	creates: number;
	updates: number;
	errors: CsvProblem[];
}

export interface CsvTable {
	columns: string[];
	/** Non-blank rows with their spreadsheet row number. */
	records: { row: number; cells: string[] }[];
}

const fileProblem = (message: string): { errors: CsvProblem[] } => ({
	errors: [{ row: null, column: null, message }]
});

const TOO_LARGE = `The file is larger than ${CSV_MAX_BYTES / 1024 / 1024} MB; split it into smaller files.`;

/** For callers that can see the size before reading the file. */
export function tooLargeReport(): CsvReport {
	return { ok: false, rows: 0, creates: 0, updates: 0, ...fileProblem(TOO_LARGE) };
}

/**
 * The header and rows of a provider CSV, or why it cannot be read: not text, not CSV, empty,
 * too large, or a header with unknown, repeated or missing columns.
 */
export function readProvidersCsv(text: string): CsvTable | { errors: CsvProblem[] } {
	if (Buffer.byteLength(text, 'utf8') > CSV_MAX_BYTES) return fileProblem(TOO_LARGE);
	if (text.includes('\u0000')) {
		return fileProblem(
			'This is not a CSV text file (it may be an Excel workbook); save it as “CSV UTF-8” and try again.'
		);
	}
	if (text.includes('\uFFFD')) {
		return fileProblem(
			'The file is not UTF-8 text; in your spreadsheet choose “CSV UTF-8” when saving it.'
		);
	}
	if (text.replace(/^\uFEFF/, '').trim() === '') return fileProblem('The file is empty.');

	let table: string[][];
	try {
		table = parse(text, {
			bom: true,
			relax_column_count: true,
			// The one text cleaning every input gets: control characters out.
			cast: (cell) => withoutControlCharacters(cell)
		});
	} catch (err) {
		const e = err as { message?: string; records?: number };
		const row = typeof e.records === 'number' ? e.records + 1 : null;
		return {
			errors: [
				{
					row,
					column: null,
					message: `The file could not be read as CSV (${(e.message ?? 'unknown error').replace(/\.$/, '')}). Check quotes around cells that contain commas or line breaks.`
				}
			]
		};
	}

	// The text is not blank, so the parser gives at least one row.
	const [header] = table;
	if (!header) return fileProblem('The file is empty.');
	const columns = header.map((name) => name.trim().toLowerCase());
	const known = new Set(PROVIDER_CSV_COLUMNS);
	if (!columns.some((c) => known.has(c))) {
		return {
			errors: [
				{
					row: 1,
					column: null,
					message: `The first row must hold the column names (slug, name, kinds, …), separated by commas; it reads “${header.join(',').slice(0, 80)}”.`
				}
			]
		};
	}
	const errors: CsvProblem[] = [];
	const seen = new Set<string>();
	columns.forEach((column, i) => {
		if (column === '') {
			if (table.some((r) => (r[i] ?? '').trim() !== '')) {
				errors.push({
					row: 1,
					column: `(column ${i + 1})`,
					message: 'This column has no name; give it one of the documented names or delete it.'
				});
			}
		} else if (!known.has(column)) {
			errors.push({
				row: 1,
				column,
				message: `Unknown column “${column}”; the columns are listed in docs/csv.md.`
			});
		} else if (seen.has(column)) {
			errors.push({ row: 1, column, message: `The column “${column}” appears twice.` });
		}
		seen.add(column);
	});
	for (const column of REQUIRED_CSV_COLUMNS) {
		if (!seen.has(column)) {
			errors.push({ row: 1, column, message: `The required column “${column}” is missing.` });
		}
	}
	if (errors.length) return { errors };

	const records = table
		.map((cells, i) => ({ row: i + 1, cells }))
		.slice(1)
		.filter((r) => r.cells.some((c) => c.trim() !== ''));
	if (records.length === 0) return fileProblem('The file has column names but no providers.');
	if (records.length > CSV_MAX_ROWS) {
		return fileProblem(
			`The file has ${records.length.toLocaleString('en-US')} providers; import at most ${CSV_MAX_ROWS.toLocaleString('en-US')} at a time.`
		);
	}
	return { columns, records };
}
