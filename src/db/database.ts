import {
  CamelCasePlugin,
  Kysely,
  type PluginTransformResultArgs,
  PostgresDialect,
  type QueryResult,
  sql,
  type UnknownRow,
} from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { openEmbedded } from './embedded.js';
import { pgTypes } from './pg-types.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  mode: 'postgres' | 'embedded';
  pool: pg.Pool;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

type DatabaseConfig = Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolMax' | 'statementTimeoutMs'> &
  Partial<Pick<Config, 'dbConnectTimeoutMs'>>;

/**
 * Kysely's CamelCasePlugin, renaming the columns of result rows only. jsonb documents are stored
 * with camelCase keys already, so nested keys are left as they are (measured, bench/RESULTS.md:
 * walking them cost most of a large read). The stock plugin also copies every array value, tests
 * every value for a plain object and looks every column name up again on each row; here the
 * names are mapped once per result, as all its rows have the same columns.
 */
class ColumnNamesToCamelCase extends CamelCasePlugin {
  override async transformResult(
    args: PluginTransformResultArgs,
  ): Promise<QueryResult<UnknownRow>> {
    const { rows } = args.result;
    const first = rows[0];
    if (first === undefined) return args.result;
    const names = Object.keys(first).map((column) => [column, this.camelCase(column)] as const);
    // Selected under their camelCase names already (src/db/camel-columns.ts): nothing to copy.
    if (names.every(([column, name]) => column === name)) return args.result;
    return { ...args.result, rows: rows.map((row) => renameColumns(row, names)) };
  }
}

function renameColumns(row: UnknownRow, names: readonly (readonly [string, string])[]) {
  const renamed: UnknownRow = {};
  for (const [column, name] of names) renamed[name] = row[column];
  return renamed;
}

/** One code path for both modes: Kysely's PostgresDialect over a pg pool. */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  // Kysely's destroy() ends the pool; afterClose releases what the mode holds besides it.
  const { pool, mode, afterClose } = config.databaseUrl
    ? openPostgres(config.databaseUrl, config)
    : await openEmbeddedPool(config.dataDir);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new ColumnNamesToCamelCase({ maintainNestedObjectKeys: true })],
  });
  let closed = false;
  return {
    db,
    mode,
    pool,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy().catch(() => undefined);
      await afterClose();
    },
  };
}

function openPostgres(url: string, config: DatabaseConfig) {
  const pool = new pg.Pool({
    connectionString: url,
    max: config.dbPoolMax,
    // A request waiting longer than this for a connection is answered 503, not left hanging.
    connectionTimeoutMillis: config.dbConnectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: config.statementTimeoutMs,
    application_name: 'jahiz',
    types: pgTypes,
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Nor may a client in use: its query fails (503) and the pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return { pool, mode: 'postgres' as const, afterClose: async () => {} };
}

async function openEmbeddedPool(dataDir: string) {
  const embedded = await openEmbedded(dataDir);
  return { pool: embedded.pool, mode: 'embedded' as const, afterClose: embedded.closeEngine };
}
