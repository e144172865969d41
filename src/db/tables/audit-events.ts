import type { ColumnType } from 'kysely';
import type { AuditAction } from '../../modules/audit/actions.js';

/** Field name → its value before and after a write; either side is absent when it had none. */
export type AuditChanges = Record<string, { from?: unknown; to?: unknown }>;

/** One write to a record, kept forever (append-only; only personal data may be erased). */
export interface AuditEventsTable {
  id: string;
  occurredAt: ColumnType<string, never, never>;
  /** The API key that made the write (a key's id), or null. */
  actorKeyId: string | null;
  /** The person who made the write (`<issuer>#<subject>`), or null. */
  actorPersonId: string | null;
  /** The key's name or the person's display name, when known. */
  actorName: string | null;
  partnerCode: string | null;
  entity: string;
  entityId: string;
  /** Past tense, one of AUDIT_ACTIONS (migration 0012 renamed the older present-tense ones). */
  action: AuditAction;
  /** Written as JSON text; read back as the parsed object. */
  changes: ColumnType<AuditChanges | null, string | null, string | null>;
}
