import { type Kysely, type Selectable, sql } from 'kysely';
import { type RecordsetColumn, recordset, recordsetColumns } from '../../db/recordset.js';
import type { Database } from '../../db/schema.js';
import type { EventsTable } from '../../db/tables/events.js';
import { uuidv7 } from '../../db/uuid.js';
import type { Actor } from '../../http/principal.js';
import { fanOutDeliveries } from '../webhooks/repository.js';
import type { EventType } from './types.js';

/** What a write tells the feed: ids, versions and names of changed fields, never personal data. */
export interface EventInput {
  type: EventType;
  /** The partner the subject belongs to; null for programme-wide events. */
  partnerCode: string | null;
  subject: { kind: string; id: string; externalRef?: string | null };
  data: Record<string, unknown>;
  /** Who made the change: a key or a person (stored as kind and id only, never a name). */
  actor: Actor | null;
}

/** A row as the insert's recordset carries it: the table's written columns, data as objects. */
type EventRecord = Omit<Selectable<EventsTable>, 'txId' | 'position' | 'occurredAt'>;

export const EVENT_COLUMNS: readonly RecordsetColumn<EventRecord>[] = [
  ['id', 'uuid'],
  ['type', 'text'],
  ['partnerCode', 'text'],
  ['subjectKind', 'text'],
  ['subjectId', 'text'],
  ['subjectExternalRef', 'text'],
  ['data', 'jsonb'],
  ['actor', 'jsonb'],
];

/**
 * Records events in the caller's transaction (the outbox), with their webhook deliveries, in
 * one statement whatever their number. Call it beside the audit log's write, so that every write path records both; the
 * events become visible to the feed when, and only when, the transaction commits.
 */
export async function recordEvents(
  db: Kysely<Database>,
  events: readonly EventInput[],
): Promise<void> {
  if (events.length === 0) return;
  const records = events.map(
    (e): EventRecord => ({
      id: uuidv7(),
      type: e.type,
      partnerCode: e.partnerCode,
      subjectKind: e.subject.kind,
      subjectId: e.subject.id,
      subjectExternalRef: e.subject.externalRef ?? null,
      data: e.data,
      actor: e.actor === null ? null : { kind: e.actor.kind, id: e.actor.id },
    }),
  );
  await sql`with e as (
      insert into events (id, type, partner_code, subject_kind, subject_id,
        subject_external_ref, data, actor)
      select ${recordsetColumns(EVENT_COLUMNS)} from ${recordset(records, EVENT_COLUMNS)}
      returning id, type, partner_code
    )
    ${fanOutDeliveries()}`.execute(db);
}

/** One event (see recordEvents). */
export function recordEvent(db: Kysely<Database>, event: EventInput): Promise<void> {
  return recordEvents(db, [event]);
}

/** The names of the fields an audit diff says changed: what an event may tell of a change. */
export function changedFields(changes: Record<string, unknown> | null | undefined): string[] {
  return Object.keys(changes ?? {}).sort();
}
