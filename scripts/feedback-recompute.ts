import { FEEDBACK_RULES_VERSION } from '../src/lib/domain/feedback';
import { recomputeAll } from '../src/lib/server/feedback';
import { openConfiguredDatabase } from './database';

// Usage: npm run feedback:recompute   (every provider's feedback, from its ratings, under the
// current rules; the server also recomputes outdated ones by itself at start)
const handle = await openConfiguredDatabase();
try {
	const n = await recomputeAll(handle.db);
	console.log(
		`Recomputed the patient feedback of ${n} ${n === 1 ? 'provider' : 'providers'} in the ${handle.kind} database (rules version ${FEEDBACK_RULES_VERSION}).`
	);
} catch (err) {
	console.error('Recomputing failed:', err instanceof Error ? err.message.split('\n')[0] : err);
	process.exitCode = 1;
} finally {
	await handle.close();
}
