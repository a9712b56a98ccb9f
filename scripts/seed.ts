import { reseedDemo, seedDemoIfEmpty } from '../src/lib/server/demo';
import { openDatabase } from '../src/lib/server/db/index';

// Usage: npm run db:seed [-- --replace]   (--replace swaps existing demo rows for a fresh set)
const url = process.env.DATABASE_URL;
const handle = await openDatabase({
	url,
	dataDir: url ? undefined : process.env.DATA_DIR || 'data'
});
const replace = process.argv.includes('--replace');
const added = replace ? await reseedDemo(handle.db) : await seedDemoIfEmpty(handle.db);
console.log(
	added
		? `Loaded ${added} demo providers into the ${handle.kind} database.`
		: 'The directory already has providers; nothing loaded (use --replace to refresh demo rows).'
);
await handle.close();
