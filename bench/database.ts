// Fresh benchmark databases: a PostgreSQL database dropped and created again, or a PGlite data
// folder emptied; migrated with the service's own migrate function, then seeded.
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { type SeedCounts, seedDataset } from './seed.js';

type Log = (line: string) => void;

/** Drops and creates the database the URL names, through the server's `postgres` database. */
export async function recreatePostgresDatabase(url: string, log: Log) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  const server = new URL(url);
  server.pathname = '/postgres';
  const client = new pg.Client({ connectionString: server.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
    log(`db: created database ${name}`);
  } finally {
    await client.end();
  }
}

/** Migrates and seeds; `databaseUrl` for PostgreSQL, else the PGlite folder `dataDir`. */
export async function migrateAndSeed(
  target: { databaseUrl?: string; dataDir?: string },
  scale: number,
  log: Log,
): Promise<SeedCounts> {
  if (!target.databaseUrl && target.dataDir)
    await rm(target.dataDir, { recursive: true, force: true });
  const handle = await openDatabase({
    databaseUrl: target.databaseUrl,
    dataDir: target.dataDir ?? '',
    dbPoolMax: 1,
    statementTimeoutMs: 0,
  });
  try {
    const started = performance.now();
    const applied = await migrateToLatest(handle.db);
    log(
      `db: ${applied.length} migrations applied (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    const client = await handle.pool.connect();
    try {
      return await seedDataset(client, scale, log);
    } finally {
      client.release();
    }
  } finally {
    await handle.close();
  }
}
