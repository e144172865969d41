import { type Kysely, sql } from 'kysely';

/**
 * People as callers (docs/people.md): a write is made by an API key or by a person, whose id
 * is text (`<issuer>#<subject>`), not a uuid. The audit log keeps `actor_key_id` for keys (its
 * past rows stay as they are: it is append-only) and gains the person and the actor's name.
 * The columns that name who created a record, and the idempotency records' caller, become text.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('audit_events')
    .addColumn('actor_person_id', 'text')
    .addColumn('actor_name', 'text')
    .execute();
  await sql`alter table audit_events add constraint audit_events_one_actor
    check (actor_key_id is null or actor_person_id is null)`.execute(db);
  await db.schema
    .createIndex('audit_events_actor_person')
    .on('audit_events')
    .columns(['actor_person_id', 'id'])
    .where(sql.ref('actor_person_id'), 'is not', null)
    .execute();
  // The append-only rule, now covering the new columns too.
  await replaceAppendOnlyRule(db, [...KEPT_COLUMNS, 'actor_person_id', 'actor_name']);

  await sql`alter table idempotency_keys rename column api_key_id to caller_id`.execute(db);
  await sql`alter table idempotency_keys alter column caller_id type text`.execute(db);
  await sql`alter table api_keys alter column created_by type text`.execute(db);
  await sql`alter table period_locks alter column created_by type text`.execute(db);
  await sql`alter table kpi_values
    alter column created_by type text, alter column updated_by type text`.execute(db);
}

/** The columns a redaction may not change, as migration 0003 listed them. */
const KEPT_COLUMNS = [
  'id',
  'occurred_at',
  'actor_key_id',
  'partner_code',
  'entity',
  'entity_id',
  'action',
];

async function replaceAppendOnlyRule(db: Kysely<any>, kept: readonly string[]) {
  const tuple = (row: string) => sql.raw(kept.map((column) => `${row}.${column}`).join(', '));
  await sql`
    create or replace function audit_events_append_only() returns trigger
    language plpgsql as $$
    begin
      if coalesce(current_setting('jahiz.audit_redaction', true), '') <> 'on' then
        raise exception 'audit_events is append-only (% refused)', tg_op
          using errcode = 'insufficient_privilege';
      end if;
      if tg_op = 'DELETE' then
        return old;
      end if;
      if (${tuple('new')}) is distinct from (${tuple('old')}) then
        raise exception 'a redaction may only rewrite audit_events.changes'
          using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Only rows written by keys can go back to uuid columns.
  await sql`delete from idempotency_keys where caller_id !~ '^[0-9a-f-]{36}$'`.execute(db);
  await sql`alter table idempotency_keys alter column caller_id type uuid using caller_id::uuid`.execute(
    db,
  );
  await sql`alter table idempotency_keys rename column caller_id to api_key_id`.execute(db);
  for (const [table, column] of [
    ['api_keys', 'created_by'],
    ['period_locks', 'created_by'],
    ['kpi_values', 'created_by'],
    ['kpi_values', 'updated_by'],
  ] as const) {
    await sql`update ${sql.table(table)} set ${sql.ref(column)} = null
      where ${sql.ref(column)} !~ '^[0-9a-f-]{36}$'`.execute(db);
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)}
      type uuid using ${sql.ref(column)}::uuid`.execute(db);
  }
  await sql`alter table if exists events
    drop column if exists actor_person_id, drop column if exists actor_name`.execute(db);
  await replaceAppendOnlyRule(db, KEPT_COLUMNS);
  await db.schema.dropIndex('audit_events_actor_person').execute();
  await sql`alter table audit_events drop constraint audit_events_one_actor`.execute(db);
  await db.schema
    .alterTable('audit_events')
    .dropColumn('actor_person_id')
    .dropColumn('actor_name')
    .execute();
}
