import { reseedDemo, seedDemoIfEmpty } from '../src/lib/server/demo';
import { openConfiguredDatabase } from './database';

// Usage: npm run db:seed [-- --replace]   (--replace swaps existing demo rows for a fresh set)
const handle = await openConfiguredDatabase();
const replace = process.argv.includes('--replace');
const added = replace ? await reseedDemo(handle.db) : await seedDemoIfEmpty(handle.db);
console.log(
	added
		? `Loaded ${added} demo providers into the ${handle.kind} database.`
		: 'The directory already has providers; nothing loaded (use --replace to refresh demo rows).'
);
await handle.close();
