import { type Kysely, sql } from 'kysely';

/**
 * Safe sync writes (docs/sync.md). Each member records who wrote its current data — the kind
 * of credential, its id and its role — so that a PUT by externalRef without If-Match can tell
 * "my own last write" from someone else's. Existing members take the writer of their latest
 * audited write. `updatedSince` lists read members, assessments and activities in
 * (updated_at, id) order, each through an index of its own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('members')
    .addColumn('changed_by_kind', 'text')
    .addColumn('changed_by', 'text')
    .addColumn('changed_by_role', 'text')
    .execute();
  await sql`
    update members m
    set changed_by_kind = 'key', changed_by = k.id::text, changed_by_role = k.role
    from (
      select distinct on (entity_id) entity_id, actor_key_id
      from audit_events
      where entity = 'member'
      order by entity_id, occurred_at desc, id desc
    ) latest
    join api_keys k on k.id = latest.actor_key_id
    where m.id::text = latest.entity_id`.execute(db);
  for (const table of ['members', 'assessments', 'activities']) {
    await db.schema
      .createIndex(`${table}_updated_at_id`)
      .on(table)
      .columns(['updated_at', 'id'])
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['members', 'assessments', 'activities']) {
    await db.schema.dropIndex(`${table}_updated_at_id`).execute();
  }
  await db.schema
    .alterTable('members')
    .dropColumn('changed_by_kind')
    .dropColumn('changed_by')
    .dropColumn('changed_by_role')
    .execute();
}
