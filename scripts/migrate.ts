import { openConfiguredDatabase } from './database';

const handle = await openConfiguredDatabase();
console.log(`Migrated the ${handle.kind} database.`);
await handle.close();
