import { count } from 'drizzle-orm';
import type { Database } from '../../src/lib/server/db/index';
import { providerFeedback } from '../../src/lib/server/db/schema';
import { verifyFeedback } from '../../src/lib/server/feedback';

/** Are the stored aggregates exact after the rating writes? Every provider, recomputed from its rows. */
export interface Verification {
	method: 'verifyFeedback' | 'not verified';
	checked: number;
	wrong: number[];
	ms: number;
}

export async function verifyAggregates(db: Database): Promise<Verification> {
	const started = performance.now();
	try {
		const wrong = (await verifyFeedback(db)).map((m) => m.providerId);
		const [row] = await db.select({ n: count() }).from(providerFeedback);
		return {
			method: 'verifyFeedback',
			checked: row?.n ?? 0,
			wrong,
			ms: performance.now() - started
		};
	} catch (err) {
		console.error(
			'verifying the aggregates failed:',
			err instanceof Error ? err.message.split('\n')[0] : err
		);
		return { method: 'not verified', checked: 0, wrong: [], ms: performance.now() - started };
	}
}
