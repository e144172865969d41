import { type Kysely, sql } from 'kysely';

/**
 * Security review (docs/security.md).
 *
 * `api_keys.origin` tells the admin key named by JAHIZ_ADMIN_KEY (`environment`) and the one
 * generated at first start or by `npm run admin-key -- --rotate` (`generated`) from keys issued
 * through the API (`api`): the configured key is one credential that follows the variable.
 * Existing rows are recognised by the names the service gave them.
 *
 * `idempotency_keys.subject` is the resource a stored response is about (its `Location`, else
 * the request path), so that erasing a member's personal data can find the responses that hold
 * a copy; `response_withheld` says why a completed record keeps no body (the personal data it
 * held was erased, or it was larger than the service keeps).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('api_keys')
    .addColumn('origin', 'text', (c) =>
      c.notNull().defaultTo('api').check(sql`origin in ('api', 'environment', 'generated')`),
    )
    .execute();
  await sql`update api_keys set origin = 'environment'
    where name = 'JAHIZ_ADMIN_KEY' and created_by is null`.execute(db);
  await sql`update api_keys set origin = 'generated'
    where name = 'generated at first start' and created_by is null`.execute(db);

  await db.schema
    .alterTable('idempotency_keys')
    .addColumn('subject', 'text')
    .addColumn('response_withheld', 'text', (c) =>
      c.check(sql`response_withheld in ('personal-data-erased', 'too-large')`),
    )
    .execute();
  await sql`update idempotency_keys
    set subject = coalesce(response_headers->>'location', path)`.execute(db);
  // Prefix searches (`/v1/members/<id>` and what lies below it) whatever the collation.
  await sql`create index idempotency_keys_subject
    on idempotency_keys (subject text_pattern_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists idempotency_keys_subject`.execute(db);
  await db.schema
    .alterTable('idempotency_keys')
    .dropColumn('subject')
    .dropColumn('response_withheld')
    .execute();
  await db.schema.alterTable('api_keys').dropColumn('origin').execute();
}
