import { type Kysely, sql } from 'kysely';
import stringify from 'safe-stable-stringify';
import { type RecordsetColumn, recordset, recordsetColumns } from '../../db/recordset.js';
import type { Database } from '../../db/schema.js';
import type { AuditChanges, AuditEventsTable } from '../../db/tables/audit-events.js';
import { uuidv7 } from '../../db/uuid.js';
import { type Actor, actorFromColumns } from '../../http/principal.js';
import type { AuditAction } from './actions.js';

export type { AuditChanges } from '../../db/tables/audit-events.js';

export interface AuditEventInput {
  /** The API key or person that made the write; null for the service itself (start-up). */
  actor: Actor | null;
  /** What kind of record, e.g. `member`, `partner`, `apiKey`. */
  entity: string;
  entityId: string;
  action: AuditAction;
  /** The partner the record belongs to, so that a partner's history can be listed. */
  partnerCode?: string | null;
  changes?: AuditChanges;
}

/** The text erased values are replaced by. */
const ERASED = '[erased]';

/** Records one write; call it inside the transaction of the write it describes. */
export async function recordAuditEvent(db: Kysely<Database>, e: AuditEventInput): Promise<void> {
  await recordAuditEvents(db, [e]);
}

/** A row as the insert's recordset carries it: the table's columns, `changes` still an object. */
type AuditRecord = Omit<AuditEventsTable, 'occurredAt' | 'changes'> & {
  changes: AuditChanges | null;
};

/** The columns of an audit insert, in order (exported for the benchmark's floor). */
export const AUDIT_COLUMNS: readonly RecordsetColumn<AuditRecord>[] = [
  ['id', 'uuid'],
  ['actorKeyId', 'uuid'],
  ['actorPersonId', 'text'],
  ['actorName', 'text'],
  ['partnerCode', 'text'],
  ['entity', 'text'],
  ['entityId', 'text'],
  ['action', 'text'],
  ['changes', 'jsonb'],
];

/** The table's columns AUDIT_COLUMNS fill, in the same order. */
export const AUDIT_INSERT_COLUMNS =
  'id, actor_key_id, actor_person_id, actor_name, partner_code, entity, entity_id, action, changes';

/** Records the events of a write in one insert, whatever their number (caller's transaction). */
export async function recordAuditEvents(
  db: Kysely<Database>,
  events: readonly AuditEventInput[],
): Promise<void> {
  if (events.length === 0) return;
  const records = events.map(
    (e): AuditRecord => ({
      id: uuidv7(),
      actorKeyId: e.actor?.kind === 'key' ? e.actor.id : null,
      actorPersonId: e.actor?.kind === 'person' ? e.actor.id : null,
      actorName: e.actor?.name ?? null,
      partnerCode: e.partnerCode ?? null,
      entity: e.entity,
      entityId: e.entityId,
      action: e.action,
      changes: e.changes ?? null,
    }),
  );
  await sql`insert into audit_events (${sql.raw(AUDIT_INSERT_COLUMNS)})
    select ${recordsetColumns(AUDIT_COLUMNS)} from ${recordset(records, AUDIT_COLUMNS)}`.execute(
    db,
  );
}

/**
 * Erases personal data from an entity's history: the `from`/`to` values of every change whose
 * field equals or starts with one of the prefixes become `[erased]`. The audit log is
 * append-only; this is the one rewrite its trigger lets through, and only in a transaction that
 * says so. Runs in the caller's transaction (or its own). Returns the number of events rewritten.
 */
export async function redactAuditValues(
  db: Kysely<Database>,
  entity: string,
  entityId: string,
  fieldPrefixes: readonly string[],
): Promise<number> {
  if (fieldPrefixes.length === 0) return 0;
  if (!db.isTransaction) {
    return db
      .transaction()
      .execute((trx) => redactAuditValues(trx, entity, entityId, fieldPrefixes));
  }
  await sql`select set_config('jahiz.audit_redaction', 'on', true)`.execute(db);
  const prefixes = sql`${[...fieldPrefixes]}::text[]`;
  const matches = (field: string) =>
    sql<boolean>`exists (select 1 from unnest(${prefixes}) p where left(${sql.ref(field)}, length(p)) = p)`;
  const result = await sql`
    update audit_events set changes = (
      select jsonb_object_agg(
        c.field,
        case
          when not ${matches('c.field')} then c.change
          when jsonb_typeof(c.change) <> 'object' then to_jsonb(${ERASED}::text)
          else (
            select jsonb_object_agg(s.side, case when s.side in ('from', 'to')
              then to_jsonb(${ERASED}::text) else s.value end)
            from jsonb_each(c.change) s(side, value)
          )
        end)
      from jsonb_each(audit_events.changes) c(field, change)
    )
    where entity = ${entity} and entity_id = ${entityId}
      and jsonb_typeof(changes) = 'object'
      and exists (select 1 from jsonb_object_keys(changes) k(field) where ${matches('k.field')})`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}

/**
 * The changes between two states of a record: each field (all fields of either by default)
 * whose JSON differs, ignoring key order. Absent and undefined are the same.
 */
export function diffChanges(
  before: object,
  after: object,
  fields?: readonly string[],
): AuditChanges {
  const from = before as Record<string, unknown>;
  const to = after as Record<string, unknown>;
  const names = fields ?? [...new Set([...Object.keys(from), ...Object.keys(to)])];
  const changes: AuditChanges = {};
  for (const name of names) {
    const [a, b] = [from[name], to[name]];
    // Identical values are the same JSON and undefined differs from any value: only the rest
    // needs serialising (a created record's diff then costs no serialisation at all).
    const differs =
      a === b ? false : a === undefined || b === undefined || stringify(a) !== stringify(b);
    if (differs) {
      changes[name] = { from: from[name], to: to[name] };
    }
  }
  return changes;
}

/**
 * The changes of a created record: each field it has, as `to`. What `diffChanges({}, after)`
 * stores, built without comparing or undefined `from` sides (cheaper for a bulk import).
 */
export function creationChanges(after: object): AuditChanges {
  const changes: AuditChanges = {};
  for (const [name, value] of Object.entries(after))
    if (value !== undefined) changes[name] = { to: value };
  return changes;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditFilter {
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: AuditAction | undefined;
  /** An actor's id: an API key's (a uuid) or a person's (`<issuer>#<subject>`). */
  actor?: string | undefined;
  partnerCode?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

type AuditRow = Awaited<ReturnType<typeof listAuditEvents>>[number];

/** The event as the API shows it: who made it as one `actor` (key, person or none). */
export function withActor(row: AuditRow) {
  const { actorPersonId, actorName, ...event } = row;
  return { ...event, actor: actorFromColumns(row) };
}

/** Newest first: a page holds events older than the cursor's id (ids are time-ordered v7). */
export async function listAuditEvents(
  db: Kysely<Database>,
  filter: AuditFilter,
  limit: number,
  beforeId: string | undefined,
) {
  let query = db
    .selectFrom('auditEvents')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (filter.entity !== undefined) query = query.where('entity', '=', filter.entity);
  if (filter.entityId !== undefined) query = query.where('entityId', '=', filter.entityId);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.actor !== undefined) {
    query = UUID.test(filter.actor)
      ? query.where('actorKeyId', '=', filter.actor)
      : query.where('actorPersonId', '=', filter.actor);
  }
  if (filter.partnerCode !== undefined) query = query.where('partnerCode', '=', filter.partnerCode);
  if (filter.from !== undefined) query = query.where('occurredAt', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('occurredAt', '<', filter.to);
  if (beforeId !== undefined) query = query.where('id', '<', beforeId);
  return query.execute();
}
