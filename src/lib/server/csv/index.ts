/** Provider CSV: reading files, planning imports, importing and exporting (docs/csv.md). */
export * from './io';
export { columnForPath } from '../../domain/provider-fields';
export {
	PROVIDER_CSV_COLUMNS,
	readProvidersCsv,
	REQUIRED_CSV_COLUMNS,
	CSV_MAX_BYTES,
	CSV_MAX_ROWS,
	tooLargeReport,
	type CsvProblem,
	type CsvReport,
	type CsvTable
} from './read';
