// Builds a migrated embedded database in the folder given as argument; test files copy it.
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const folder = process.argv[2];
if (!folder) throw new Error('usage: build-template.ts FOLDER');
const database = await openDatabase({
  databaseUrl: undefined,
  dataDir: folder,
  dbPoolMax: 1,
  statementTimeoutMs: 0,
});
await migrateToLatest(database.db);
await database.close();
