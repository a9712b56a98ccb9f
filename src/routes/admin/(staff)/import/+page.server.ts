import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import * as csv from '$lib/server/csv';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { keepTyped } from '$lib/server/forms';
import { UNAVAILABLE_FORM_MESSAGE } from '$lib/server/outage';

/** A report can list a problem per cell; the page shows the first ones and says how many. */
const SHOWN_ERRORS = 200;

export const load: PageServerLoad = (event) => {
	requireRole(event, ['admin']);
	return {
		columns: csv.PROVIDER_CSV_COLUMNS,
		required: csv.REQUIRED_CSV_COLUMNS,
		maxRows: csv.CSV_MAX_ROWS,
		maxMegabytes: csv.CSV_MAX_BYTES / 1024 / 1024
	};
};

type Mode = 'check' | 'import';

// Typed by what it returns (not as Actions[string]), so the page's `form` keeps the results' types.
function run(mode: Mode) {
	return async (event: RequestEvent) => {
		const user = requireRole(event, ['admin']);
		const file = (await event.request.formData()).get('file');
		if (!(file instanceof File) || (file.name === '' && file.size === 0)) {
			return fail(400, {
				mode,
				fileName: null,
				fileError: 'Choose a CSV file to check or import.',
				report: null
			});
		}
		const fileName = file.name.slice(0, 200) || 'upload.csv';
		const db = event.locals.db;
		let report: csv.CsvReport;
		if (file.size > csv.CSV_MAX_BYTES) report = csv.tooLargeReport();
		else if (mode === 'check') report = await csv.checkProvidersCsv(db, await file.text());
		else report = await csv.importProvidersCsv(db, await file.text(), user, fileName);
		const result = {
			mode,
			fileName,
			fileError: null,
			report: {
				...report,
				errors: report.errors.slice(0, SHOWN_ERRORS),
				errorCount: report.errors.length
			}
		};
		return report.ok ? result : fail(400, result);
	};
}

const runs = { check: run('check'), import: run('import') } satisfies Actions;

export const actions = keepTyped(runs, (_form, action) => ({
	mode: action as Mode,
	fileName: null,
	// The file input is where this page shows a refusal.
	fileError: UNAVAILABLE_FORM_MESSAGE,
	report: null
}));
