import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { EventsTable } from '../../db/tables/events.js';
import { type EventViewer, visibleTo } from './types.js';

/** A place in the feed: the (transaction id, position) of the last event a reader has. */
export interface FeedPosition {
  txId: string;
  position: string;
}

/** Before every event: where a reader without a cursor starts. */
export const FEED_START: FeedPosition = { txId: '0', position: '0' };

/** An event as the feed reads it (actor: a key or a person, never a name; see outbox.ts). */
export type EventRow = Selectable<EventsTable>;

export interface FeedFilter {
  viewer: EventViewer;
  /** Only these types; undefined: all the viewer may see. */
  types: readonly string[] | undefined;
}

const after = (table: string, p: FeedPosition) =>
  sql<boolean>`(${sql.ref(`${table}.tx_id`)}, ${sql.ref(`${table}.position`)}) > (${p.txId}::xid8, ${p.position}::bigint)`;

function matches(table: string, filter: FeedFilter): RawBuilder<boolean> {
  const event = {
    type: sql.ref(`${table}.type`),
    partnerCode: sql`nullif(${sql.ref(`${table}.partner_code`)}, '')`,
  };
  const visible = visibleTo(event, filter.viewer.role, filter.viewer.partnerCode);
  return filter.types === undefined
    ? visible
    : sql<boolean>`${visible} and ${event.type} = any(${[...filter.types]}::text[])`;
}

/**
 * The next events after a position, oldest first. Only events of transactions older than every
 * transaction still running are served (`tx_id < xmin` of this statement's snapshot): those have
 * all committed or aborted, and any event committed later has a transaction id at or above that
 * bound, hence a key above anything served now. A reader therefore never passes an event that
 * commits afterwards, however commits interleave (docs/events-and-webhooks.md).
 */
export function listEvents(
  db: Db,
  filter: FeedFilter,
  from: FeedPosition,
  limit: number,
): Promise<EventRow[]> {
  return sql<EventRow>`
    select e.tx_id::text as tx_id, e.position::text as position, e.id, e.type,
      e.occurred_at, e.partner_code, e.subject_kind, e.subject_id, e.subject_external_ref, e.data,
      e.actor
    from events e
    where e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
      and ${after('e', from)}
      and ${matches('e', filter)}
    order by e.tx_id, e.position
    limit ${limit}`
    .execute(db)
    .then((r) => r.rows);
}

/**
 * Whether retention purged an event this reader would have seen after the position: its cursor
 * is then too old to continue from (410). A reader whose filter matched nothing purged is not
 * refused, however old its cursor.
 */
export async function purgedSince(db: Db, filter: FeedFilter, from: FeedPosition) {
  const result = await sql<{ found: boolean }>`
    select exists (
      select 1 from event_purge_marks m where ${after('m', from)} and ${matches('m', filter)}
    ) as found`.execute(db);
  return result.rows[0]?.found === true;
}

/**
 * Deletes the events older than the retention and records, per partner and type, the last
 * position deleted (so that cursors before it are refused). Returns the number deleted.
 */
export async function purgeEvents(db: Db, retentionDays: number): Promise<number> {
  const result = await sql<{ deleted: string }>`
    with purged as (
      delete from events where occurred_at < now() - make_interval(days => ${retentionDays}::int)
      returning coalesce(partner_code, '') as partner_code, type, tx_id, position
    ), last as (
      select distinct on (partner_code, type) partner_code, type, tx_id, position
      from purged order by partner_code, type, tx_id desc, position desc
    ), marked as (
      insert into event_purge_marks (partner_code, type, tx_id, position)
      select partner_code, type, tx_id, position from last
      on conflict (partner_code, type) do update
        set tx_id = excluded.tx_id, position = excluded.position
        where (excluded.tx_id, excluded.position)
          > (event_purge_marks.tx_id, event_purge_marks.position)
    )
    select count(*)::text as deleted from purged`.execute(db);
  return Number(result.rows[0]?.deleted ?? 0);
}
