import { openDatabase } from '../src/lib/server/db/index';

const url = process.env.DATABASE_URL;
const handle = await openDatabase({
	url,
	dataDir: url ? undefined : process.env.DATA_DIR || 'data'
});
console.log(`Migrated the ${handle.kind} database.`);
await handle.close();
