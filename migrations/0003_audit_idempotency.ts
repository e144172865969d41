import { type Kysely, sql } from 'kysely';

/**
 * The audit log (append-only, enforced by a trigger) and the idempotency records of POST
 * requests. Both belong to the HTTP layer's cross-cutting concerns.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_key_id', 'uuid')
    .addColumn('partner_code', 'text')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('changes', 'jsonb')
    .execute();
  // Listing pages by id (v7, time-ordered); each filter leads an index that ends with id.
  await db.schema
    .createIndex('audit_events_entity')
    .on('audit_events')
    .columns(['entity', 'entity_id', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_events_actor')
    .on('audit_events')
    .columns(['actor_key_id', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_events_partner')
    .on('audit_events')
    .columns(['partner_code', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_events_occurred_at')
    .on('audit_events')
    .column('occurred_at')
    .execute();

  // Append-only: rows change only in a transaction that declared a redaction
  // (set_config('jahiz.audit_redaction', 'on', true)), and then only their `changes`.
  await sql`
    create function audit_events_append_only() returns trigger
    language plpgsql as $$
    begin
      if coalesce(current_setting('jahiz.audit_redaction', true), '') <> 'on' then
        raise exception 'audit_events is append-only (% refused)', tg_op
          using errcode = 'insufficient_privilege';
      end if;
      if tg_op = 'DELETE' then
        return old;
      end if;
      if (new.id, new.occurred_at, new.actor_key_id, new.partner_code, new.entity,
          new.entity_id, new.action)
         is distinct from
         (old.id, old.occurred_at, old.actor_key_id, old.partner_code, old.entity,
          old.entity_id, old.action) then
        raise exception 'a redaction may only rewrite audit_events.changes'
          using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
    $$`.execute(db);
  await sql`
    create trigger audit_events_append_only
    before update or delete on audit_events
    for each row execute function audit_events_append_only()`.execute(db);

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('api_key_id', 'uuid', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('running', 'completed')`))
    .addColumn('response_status', 'integer')
    .addColumn('response_headers', 'jsonb')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['api_key_id', 'method', 'path', 'key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_expires_at')
    .on('idempotency_keys')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.dropTable('audit_events').execute();
  await sql`drop function if exists audit_events_append_only()`.execute(db);
}
