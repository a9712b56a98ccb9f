import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FUZZ_DIR, STATE_FILE, type Kind, type Snapshot } from './server';

/** Rows the suite finds or makes at start, for forms that need a real provider, rating, … */
export interface Ids {
	providerId: number;
	slug: string;
	ratingId: number;
	ratingSlug: string;
	maxRatingId: number;
	reportId: number;
	requestId: number;
	maxUserId: number;
	maxAnnotationId: number;
	maxProviderId: number;
}

export interface ServerState {
	kind: Kind;
	origin: string;
	pid: number;
	dataDir: string;
	logFile: string;
	databaseUrl?: string;
	/** `kd_session=…` of the signed-in admin. */
	cookie: string;
	baseline: Snapshot;
	ids: Ids;
}

export interface State {
	seed: number;
	servers: Partial<Record<Kind, ServerState>>;
}

export function readState(): State {
	return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as State;
}

export const IDS_SQL = `select
	(select id from providers where status = 'published' order by id limit 1) as "providerId",
	(select slug from providers where status = 'published' order by id limit 1) as slug,
	(select r.id from ratings r join providers p on p.id = r.provider_id
		where r.status = 'published' and p.status = 'published' order by r.id limit 1) as "ratingId",
	(select p.slug from ratings r join providers p on p.id = r.provider_id
		where r.status = 'published' and p.status = 'published' order by r.id limit 1) as "ratingSlug",
	(select coalesce(max(id), 0) from ratings) as "maxRatingId",
	(select id from problem_reports where status = 'open' order by id limit 1) as "reportId",
	(select id from listing_requests where status = 'pending' order by id limit 1) as "requestId",
	(select coalesce(max(id), 0) from users) as "maxUserId",
	(select coalesce(max(id), 0) from annotations) as "maxAnnotationId",
	(select coalesce(max(id), 0) from providers) as "maxProviderId"`;

// Valid forms: the fuzz cases start from these and break at least one field.

export function validListing(): Record<string, string | string[]> {
	return {
		name: 'Fuzz Fixture Ketamine Clinic',
		kinds: ['clinic'],
		city: 'Austin',
		state: 'TX',
		zip: '78701',
		phone: '(512) 555-0100',
		website: 'https://fuzz-fixture.example.org',
		'routes.iv': 'on',
		'routes.iv.priceMin': '400',
		'routes.iv.priceMax': '600',
		acceptingNewPatients: 'yes',
		contactName: 'Fuzz Tester',
		contactEmail: 'fuzz-tester@example.org',
		authorised: 'on',
		idempotencyKey: randomUUID()
	};
}

export function validRating(): Record<string, string | string[]> {
	return {
		overall: '4',
		recommend: '8',
		comment: 'Kind staff and a calm room.',
		ownExperience: 'on',
		idempotencyKey: randomUUID()
	};
}

export function validReport(): Record<string, string> {
	return { reason: 'wrong_phone', note: 'The number rings a different office.' };
}

/** Cases run and problems seen, one JSON line per property and database (merged at the end). */
export interface PropertyRun {
	kind: Kind;
	endpoint: string;
	cases: number;
	statuses: Record<string, number>;
	problems: number;
}

export const RUNS_FILE = resolve(FUZZ_DIR, 'runs.jsonl');

export function recordRun(run: PropertyRun): void {
	appendFileSync(RUNS_FILE, JSON.stringify(run) + '\n');
}

export function readRuns(): PropertyRun[] {
	try {
		return readFileSync(RUNS_FILE, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((line) => JSON.parse(line) as PropertyRun);
	} catch {
		return [];
	}
}
