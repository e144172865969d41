import { type Kysely, sql } from 'kysely';

/**
 * Webhook subscriptions (Standard Webhooks), their signing secrets and the delivery log: one
 * row per attempt, claimed by a worker with FOR UPDATE SKIP LOCKED (docs/events-and-webhooks.md).
 * Deliveries are created in the transaction that records their event, so none is lost; they
 * go with their event when retention purges it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('types', sql`text[]`, (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'disabled')`),
    )
    .addColumn('disabled_reason', 'text')
    // Whose events it receives: an admin's all, a partner key's those a partner key may read.
    .addColumn('owner_role', 'text', (c) =>
      c.notNull().check(sql`owner_role in ('admin', 'partner')`),
    )
    .addColumn('partner_code', 'text', (c) => c.references('partners.code'))
    .addColumn('created_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'webhook_subscriptions_owner',
      sql`(owner_role = 'partner') = (partner_code is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('webhook_subscriptions_active')
    .on('webhook_subscriptions')
    .column('status')
    .execute();

  await db.schema
    .createTable('webhook_secrets')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('subscription_id', 'uuid', (c) =>
      c.notNull().references('webhook_subscriptions.id').onDelete('cascade'),
    )
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Set when a newer secret replaced it: it signs until then.
    .addColumn('expires_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('webhook_secrets_subscription')
    .on('webhook_secrets')
    .column('subscription_id')
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('subscription_id', 'uuid', (c) =>
      c.notNull().references('webhook_subscriptions.id').onDelete('cascade'),
    )
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('pending', 'sending', 'succeeded', 'failed')`),
    )
    .addColumn('due_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('lease_until', 'timestamptz')
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();
  // What the workers look for: due attempts, and attempts whose sender stopped mid-way.
  await sql`create index webhook_deliveries_due on webhook_deliveries (due_at)
    where state in ('pending', 'sending')`.execute(db);
  await db.schema
    .createIndex('webhook_deliveries_log')
    .on('webhook_deliveries')
    .columns(['subscription_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_event')
    .on('webhook_deliveries')
    .column('event_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_secrets').execute();
  await db.schema.dropTable('webhook_subscriptions').execute();
}
