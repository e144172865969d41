import { type Kysely, sql } from 'kysely';

/**
 * One tense for the audit log's `action` (src/modules/audit/actions.ts): the writers that said
 * what they did in the present (`create`, `update`, `revoke`…) now say it in the past like the
 * others, and the events they stored are renamed, so `?action=created` finds every creation.
 *
 * Numbered 0012, a number left free, it reaches databases that already ran 0013 and later:
 * the migrator allows that (src/db/migrate.ts), and nothing here depends on what came after.
 * The append-only trigger refuses any change of `action`; it is switched off for this one
 * statement only, inside the migration's transaction.
 */
const RENAMED: readonly (readonly [string, string])[] = [
  ['create', 'created'],
  ['update', 'updated'],
  ['replace', 'replaced'],
  ['revoke', 'revoked'],
  ['lock', 'locked'],
  ['unlock', 'unlocked'],
  ['repair', 'repaired'],
];

/** Entities whose writers used the present tense: `down` puts only theirs back. */
const PRESENT_TENSE_ENTITIES = ['partner', 'apiKey', 'kpi', 'kpiTargets', 'kpiValue', 'periodLock'];

export async function up(db: Kysely<any>): Promise<void> {
  await rename(db, RENAMED, null);
}

export async function down(db: Kysely<any>): Promise<void> {
  await rename(
    db,
    RENAMED.map(([present, past]) => [past, present] as const),
    PRESENT_TENSE_ENTITIES,
  );
}

async function rename(
  db: Kysely<any>,
  pairs: readonly (readonly [string, string])[],
  entities: readonly string[] | null,
) {
  const from = pairs.map(([a]) => a);
  const mapping = sql.join(
    pairs.map(([a, b]) => sql`when ${a} then ${b}`),
    sql` `,
  );
  await sql`alter table audit_events disable trigger audit_events_append_only`.execute(db);
  await sql`update audit_events set action = case action ${mapping} end
    where action = any(${from}::text[])
      ${entities === null ? sql`` : sql`and entity = any(${[...entities]}::text[])`}`.execute(db);
  await sql`alter table audit_events enable trigger audit_events_append_only`.execute(db);
}
