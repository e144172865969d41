// `npm run migrate`: applies pending migrations to the configured database and exits.
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

try {
  const database = await openDatabase(loadConfig());
  try {
    const results = await migrateToLatest(database.db);
    for (const r of results) console.log(`${r.status.toLowerCase()}: ${r.migrationName}`);
    console.log(results.length ? `${results.length} migration(s) applied` : 'already up to date');
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(
    `jahiz: ${error instanceof ConfigError ? error.message : (error as Error).message}`,
  );
  process.exit(1);
}
