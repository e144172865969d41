import type { Kysely } from 'kysely';

/**
 * Fixed-window request counters shared by every instance on the database: one row per limited
 * caller (an API key id or a client address), reset when its window has passed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limit_buckets')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start_ms', 'bigint', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rate_limit_buckets_window_start')
    .on('rate_limit_buckets')
    .column('window_start_ms')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limit_buckets').execute();
}
