import { createRequire } from 'node:module';
import { toStateCode, type StateCode } from '../domain/states';

/** One row of the `zipcodes` package (docs/decisions/005-offline-geocoding.md). */
export interface ZipEntry {
	zip: string;
	latitude: number;
	longitude: number;
	city: string;
	state: string;
	country: string;
}

export type UsZipEntry = ZipEntry & { state: StateCode };

/** The package's own API, for code that takes it as a parameter (the demo generator). */
export interface ZipcodesModule {
	codes: Record<string, ZipEntry>;
	lookupByState(state: string): ZipEntry[];
}

export function zipcodesModule(): ZipcodesModule {
	return createRequire(import.meta.url)('zipcodes') as ZipcodesModule;
}

let entries: UsZipEntry[] | undefined;

/** ZIP codes in the 50 states and DC that have coordinates; loaded on first use (≈5 MB). */
export function usZipEntries(): UsZipEntry[] {
	if (entries) return entries;
	const { codes } = zipcodesModule();
	entries = Object.values(codes).flatMap((e) => {
		const state = e.country === 'US' ? toStateCode(e.state) : undefined;
		return state && e.latitude && e.longitude ? [{ ...e, state }] : [];
	});
	return entries;
}
