import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { first } from '../../../tests/helpers/rows';
import { CONDITION_CODES } from '../domain/conditions';
import { PROVIDER_KIND_CODES, PROVIDER_STATUSES } from '../domain/kinds';
import { ROUTE_CODES } from '../domain/routes';
import {
	columnForPath,
	CSV_MAX_ROWS,
	PROVIDER_CSV_COLUMNS,
	readProvidersCsv,
	REQUIRED_CSV_COLUMNS
} from './csv';

const HEADER = 'slug,name,kinds,city,state,zip,routes';
const ROW = ',Calm Mind,clinic,Austin,TX,78701,iv';

function problems(text: string) {
	const read = readProvidersCsv(text);
	return 'errors' in read ? read.errors : [];
}

describe('readProvidersCsv', () => {
	it('reads the header case-insensitively and numbers rows as a spreadsheet does', () => {
		const read = readProvidersCsv(
			`\uFEFFSlug, Name ,KINDS,city,state,zip,routes\r\n${ROW}\r\n\r\n,"Two, with comma","clinic",Austin,TX,78701,"iv"\r\n`
		);
		expect(read).toEqual({
			columns: ['slug', 'name', 'kinds', 'city', 'state', 'zip', 'routes'],
			records: [
				{ row: 2, cells: ['', 'Calm Mind', 'clinic', 'Austin', 'TX', '78701', 'iv'] },
				{ row: 4, cells: ['', 'Two, with comma', 'clinic', 'Austin', 'TX', '78701', 'iv'] }
			]
		});
	});

	it('counts a quoted line break as part of one row', () => {
		const read = readProvidersCsv(
			`name,kinds,city,state,zip,routes,description\nA,clinic,Austin,TX,78701,iv,"line 1\nline 2"\nB,clinic,Austin,TX,78701,iv,\n`
		);
		expect('records' in read && read.records.map((r) => r.row)).toEqual([2, 3]);
	});

	it('names unknown and repeated columns, and each missing required column', () => {
		expect(problems(`name,kinds,colour,city,state,zip,routes,Kinds,price\n${ROW}`)).toEqual([
			{
				row: 1,
				column: 'colour',
				message: expect.stringContaining('Unknown column “colour”') as string
			},
			{ row: 1, column: 'kinds', message: 'The column “kinds” appears twice.' },
			{
				row: 1,
				column: 'price',
				message: expect.stringContaining('Unknown column “price”') as string
			}
		]);
		expect(problems(`slug,name,kinds,city\n,A,clinic,Austin`)).toEqual(
			['state', 'zip', 'routes'].map((column) => ({
				row: 1,
				column,
				message: `The required column “${column}” is missing.`
			}))
		);
	});

	it('allows unnamed empty columns (trailing commas) but not unnamed data', () => {
		expect(problems(`${HEADER},,\n${ROW},,`)).toEqual([]);
		expect(problems(`${HEADER},\n${ROW},oops`)).toEqual([
			{ row: 1, column: '(column 8)', message: expect.stringContaining('no name') as string }
		]);
	});

	it('gives one clear error for a file that is empty, not CSV, or too big', () => {
		const one = (text: string) => {
			const errors = problems(text);
			expect(errors).toHaveLength(1);
			return first(errors, 'a problem');
		};
		expect(one('')).toEqual({ row: null, column: null, message: 'The file is empty.' });
		expect(one('\uFEFF \n\n')).toMatchObject({ message: 'The file is empty.' });
		expect(one(`${HEADER}\n\n`).message).toMatch(/no providers/);
		expect(one('PK\u0003\u0004\u0000\u0000binary').message).toMatch(/not a CSV text file/);
		expect(one('name\tkinds\tcity\nA\tclinic\tAustin').message).toMatch(
			/first row must hold the column names/
		);
		expect(one(`${HEADER}\n${ROW}\n,"unterminated,clinic,Austin,TX,78701,iv\n`)).toMatchObject({
			row: 3,
			message: expect.stringMatching(/could not be read as CSV/) as string
		});
		expect(one(`${HEADER}\n${`${ROW}\n`.repeat(CSV_MAX_ROWS + 1)}`).message).toMatch(
			/5,001 providers; import at most 5,000/
		);
		expect(
			one(`${HEADER},description\n,A,clinic,Austin,TX,78701,iv,"${'x'.repeat(5 * 1024 * 1024)}"`)
				.message
		).toMatch(/larger than 5 MB/);
		expect(one(`${HEADER}\n,Caf\uFFFD,clinic,Austin,TX,78701,iv`).message).toMatch(/not UTF-8/);
	});

	it('accepts exactly the maximum number of rows', () => {
		const read = readProvidersCsv(`${HEADER}\n${`${ROW}\n`.repeat(CSV_MAX_ROWS)}`);
		expect('records' in read && read.records.length).toBe(CSV_MAX_ROWS);
	});
});

describe('the column list', () => {
	it('has four columns per route and the required columns', () => {
		for (const code of ROUTE_CODES) {
			for (const suffix of ['price_min', 'price_max', 'series_price', 'notes']) {
				expect(PROVIDER_CSV_COLUMNS).toContain(`${code}_${suffix}`);
			}
		}
		for (const column of REQUIRED_CSV_COLUMNS) expect(PROVIDER_CSV_COLUMNS).toContain(column);
		expect(new Set(PROVIDER_CSV_COLUMNS).size).toBe(PROVIDER_CSV_COLUMNS.length);
	});

	it('maps listing-schema paths to CSV columns', () => {
		expect(columnForPath(['routes', 'iv', 'priceMin'])).toBe('iv_price_min');
		expect(columnForPath(['routes', 'esketamine', 'seriesPrice'])).toBe('esketamine_series_price');
		expect(columnForPath(['routes'])).toBe('routes');
		expect(columnForPath(['telehealthStates'])).toBe('telehealth_states');
		expect(columnForPath(['kinds', 1])).toBe('kinds');
		expect(columnForPath(['consultFee'])).toBe('consult_fee');
	});

	it('is the list docs/csv.md documents, and the example file uses only those columns', () => {
		const docs = readFileSync('docs/csv.md', 'utf8');
		for (const column of PROVIDER_CSV_COLUMNS) {
			const routeCode = ROUTE_CODES.find((code) => column.startsWith(`${code}_`));
			if (routeCode) {
				expect(docs).toContain(`\`${routeCode}\``);
				expect(docs).toContain(`\`<route>${column.slice(routeCode.length)}\``);
			} else {
				expect(docs).toContain(`\`${column}\``);
			}
		}
		for (const code of [...CONDITION_CODES, ...PROVIDER_KIND_CODES, ...PROVIDER_STATUSES]) {
			expect(docs).toContain(`\`${code}\``);
		}
		const example = readProvidersCsv(readFileSync('docs/examples/providers-import.csv', 'utf8'));
		expect('records' in example && example.records.length).toBe(3);
	});
});
