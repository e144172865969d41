import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { uuidv7 } from '../../db/uuid.js';
import type { Writer } from '../../http/plugins/auth.js';
import type { FieldError } from '../../http/problem.js';
import { type AuditChanges, diffChanges } from '../audit/repository.js';
import {
  asStored,
  documentOf,
  type MemberDocument,
  type MemberRow,
  storedText,
  toDocument,
  type ValidMemberInput,
} from './document.js';
import { findByExternalRefs, lockByExternalRefs } from './repository.js';
import { today } from './validation.js';

/** A valid row to create or replace, identified by partner and externalRef. */
export interface UpsertRow {
  partnerCode: string;
  externalRef: string;
  input: ValidMemberInput;
  /** The row's If-Match: a version, `*` (any current version), or undefined when absent. */
  ifMatch: number | '*' | undefined;
}

export type UpsertPlan =
  | { kind: 'created'; id: string; doc: MemberDocument; row: UpsertRow }
  | {
      kind: 'updated';
      id: string;
      doc: MemberDocument;
      before: MemberRow;
      changes: AuditChanges;
      row: UpsertRow;
    }
  | { kind: 'unchanged'; id: string; doc: MemberDocument; before: MemberRow; row: UpsertRow }
  | { kind: 'iceTaken'; existingMemberId: string; existingPartnerCode: string; row: UpsertRow }
  /** If-Match names another version, or a member that does not exist. */
  | { kind: 'stale'; before: MemberRow | undefined; row: UpsertRow }
  /** No If-Match, and the current version was written by another credential. */
  | { kind: 'notYours'; before: MemberRow; row: UpsertRow }
  | { kind: 'invalid'; errors: FieldError[]; row: UpsertRow };

export const pairKey = (partnerCode: string, externalRef: string) =>
  `${partnerCode}\u0000${externalRef}`;

/** Whether the writer wrote the member's current data (same kind of credential, same id). */
function wroteCurrentVersion(member: MemberRow, writer: Writer): boolean {
  return member.changedByKind === writer.changedByKind && member.changedBy === writer.changedBy;
}

/** Who wrote the member's current version, as a 428 or a failed row names it. */
export function lastChangedBy(member: MemberRow) {
  return member.changedByKind === null || member.changedByRole === null
    ? null
    : { kind: member.changedByKind, role: member.changedByRole };
}

/**
 * Classifies rows against the stored members in two set-based reads: what would be created,
 * updated (a full replacement: fields not sent are cleared, `joinedOn` is kept unless sent) or
 * left unchanged, which rows take an ICE another member holds, and which fail the If-Match rule
 * (docs/sync.md): with If-Match, the version must be current; without it, an update must be of
 * data the same writer wrote last. Locks the matched rows when `lock` is set, so that the write
 * that follows sees them as read.
 */
export async function planUpserts(
  trx: Transaction<Database>,
  rows: UpsertRow[],
  lock: boolean,
  writer: Writer,
): Promise<UpsertPlan[]> {
  if (rows.length === 0) return [];
  const existing = await (lock ? lockByExternalRefs(trx, rows) : findByExternalRefs(trx, rows));
  const byPair = new Map(existing.map((m) => [pairKey(m.partnerCode, m.externalRef ?? ''), m]));
  const ices = [
    ...new Set(rows.map((r) => r.input.ice).filter((v): v is string => typeof v === 'string')),
  ];
  const holders =
    ices.length === 0
      ? []
      : await trx
          .selectFrom('members')
          .select(['id', 'partnerCode', 'ice'])
          .where(sql<boolean>`ice = any(${ices}::text[])`)
          .execute();
  const holderOf = new Map(holders.map((h) => [h.ice, h]));
  const now = today();

  return rows.map((row): UpsertPlan => {
    const before = byPair.get(pairKey(row.partnerCode, storedText(row.externalRef)));
    const input = { ...row.input, externalRef: row.externalRef };
    const ifMatch = row.ifMatch;
    if (ifMatch !== undefined && (!before || (ifMatch !== '*' && ifMatch !== before.version)))
      return { kind: 'stale', before, row };
    const doc = asStored(toDocument(input, before?.joinedOn ?? now));
    const holder = doc.ice === null ? undefined : holderOf.get(doc.ice);
    if (holder && holder.id !== before?.id)
      return {
        kind: 'iceTaken',
        existingMemberId: holder.id,
        existingPartnerCode: holder.partnerCode,
        row,
      };
    if (!before) return { kind: 'created', id: uuidv7(), doc, row };
    if (before.withdrawnOn !== null && doc.joinedOn > before.withdrawnOn) {
      const message = `must not be after the member's withdrawnOn (${before.withdrawnOn})`;
      return { kind: 'invalid', errors: [{ pointer: '/joinedOn', message }], row };
    }
    const changes = diffChanges(documentOf(before), doc);
    if (Object.keys(changes).length === 0)
      return { kind: 'unchanged', id: before.id, doc, before, row };
    if (ifMatch === undefined && !wroteCurrentVersion(before, writer))
      return { kind: 'notYours', before, row };
    return { kind: 'updated', id: before.id, doc, before, changes, row };
  });
}
