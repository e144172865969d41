// Writes openapi.yaml from the app's route schemas (`npm run openapi`). The app is built on a
// database handle that is never used: generating the contract needs no database.
import { writeFile } from 'node:fs/promises';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';

const config = loadConfig({
  ...process.env,
  LOG_LEVEL: 'silent',
  DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
});
const database = await openDatabase(config);
const app = await buildApp({ config, database });
await app.ready();
await writeFile(new URL('../openapi.yaml', import.meta.url), app.swagger({ yaml: true }));
await app.close();
await database.close();
console.log('openapi.yaml written');
