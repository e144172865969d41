import type { ColumnType } from 'kysely';

/**
 * Table `events`: the change feed's outbox, one row per thing jahiz decided, written in the
 * transaction of the change. Ordered by (txId, position); see docs/events-and-webhooks.md.
 */
export interface EventsTable {
  /** The writing transaction's id (xid8, read as text). */
  txId: ColumnType<string, never, never>;
  position: ColumnType<string, never, never>;
  id: string;
  occurredAt: ColumnType<string, never, never>;
  type: string;
  partnerCode: string | null;
  subjectKind: string;
  subjectId: string;
  subjectExternalRef: string | null;
  /** Written as JSON text; read back as the parsed object. */
  data: ColumnType<Record<string, unknown>, string, never>;
  actorKeyId: string | null;
  /** A person's `<issuer>#<subject>` (migration 0017). */
  actorPersonId: string | null;
  actorName: string | null;
}

/** Per partner ('' for none) and type: the last position retention purged. */
export interface EventPurgeMarksTable {
  partnerCode: string;
  type: string;
  txId: string;
  position: string;
}
