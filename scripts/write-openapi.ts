// Writes openapi.yaml from the app's route schemas (`npm run openapi`), then the typed client's
// types from it (clients/typescript/schema.d.ts). The app is built on a database handle that is
// never used: generating the contract needs no database.
import { writeFile } from 'node:fs/promises';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { CLIENT_SCHEMA_PATH, clientTypes } from './typescript-client.js';

const config = loadConfig({
  ...process.env,
  LOG_LEVEL: 'silent',
  DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
});
const database = await openDatabase(config);
const app = await buildApp({ config, database });
await app.ready();
const contract = app.swagger({ yaml: true });
await writeFile(new URL('../openapi.yaml', import.meta.url), contract);
await app.close();
await database.close();
console.log('openapi.yaml written');
await writeFile(CLIENT_SCHEMA_PATH, await clientTypes(contract));
console.log('clients/typescript/schema.d.ts written');
