import type { ColumnType } from 'kysely';

/** Field name → its value before and after a write; either side is absent when it had none. */
export type AuditChanges = Record<string, { from?: unknown; to?: unknown }>;

/** One write to a record, kept forever (append-only; only personal data may be erased). */
export interface AuditEventsTable {
  id: string;
  occurredAt: ColumnType<string, never, never>;
  actorKeyId: string | null;
  partnerCode: string | null;
  entity: string;
  entityId: string;
  action: string;
  /** Written as JSON text; read back as the parsed object. */
  changes: ColumnType<AuditChanges | null, string | null, string | null>;
}
