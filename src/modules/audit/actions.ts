import { type Static, Type } from 'typebox';

/**
 * What happened to a record, in the past tense: the one vocabulary of the audit log's `action`,
 * for every writer and for `GET /v1/audit-events?action=`. Migration 0012 renamed the
 * present-tense actions stored before (`create` → `created`, …).
 */
export const AUDIT_ACTIONS = [
  'created',
  'updated',
  'replaced',
  'deleted',
  'revoked',
  'locked',
  'unlocked',
  'published',
  'retired',
  'versioned',
  'submitted',
  'rescored',
  'withdrawn',
  'erased',
  'secret-rotated',
  'repaired',
] as const;

export const AuditActionSchema = Type.Enum(AUDIT_ACTIONS, {
  description:
    'What happened to the record: `created`, `updated`, `replaced` (KPI targets), `deleted`, ' +
    '`revoked` (API keys), `locked`/`unlocked` (periods), `published`/`retired`/`versioned` ' +
    '(grids), `submitted`/`rescored` (assessments), `withdrawn`/`erased` (members), ' +
    '`secret-rotated` (webhooks), `repaired` (a stored number removed by migration 0010)',
});
export type AuditAction = Static<typeof AuditActionSchema>;
