import { type Kysely, sql } from 'kysely';

/**
 * The change feed's outbox (docs/events-and-webhooks.md). Each event is written in the
 * transaction of its change and keeps that transaction's id (`tx_id`): the feed is ordered by
 * (tx_id, position) and serves only transactions older than every one still running, so an
 * event that commits late can never land behind a position a reader has passed.
 * `event_purge_marks` remembers, per partner and type, the last position purged by retention,
 * so that a cursor from before it is answered 410 rather than silently skipping events.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('tx_id', sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
    .addColumn('position', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('id', 'uuid', (c) => c.notNull().unique())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('partner_code', 'text')
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('subject_external_ref', 'text')
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('actor_key_id', 'uuid')
    .addPrimaryKeyConstraint('events_pk', ['tx_id', 'position'])
    .execute();
  await db.schema
    .createIndex('events_partner')
    .on('events')
    .columns(['partner_code', 'tx_id', 'position'])
    .execute();
  await db.schema.createIndex('events_occurred_at').on('events').column('occurred_at').execute();

  await db.schema
    .createTable('event_purge_marks')
    .addColumn('partner_code', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('tx_id', sql`xid8`, (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_purge_marks_pk', ['partner_code', 'type'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('event_purge_marks').execute();
  await db.schema.dropTable('events').execute();
}
