import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { uuidv7 } from '../../db/uuid.js';
import { type Writer, writerOf } from '../../http/plugins/auth.js';
import { actorOf, type Principal } from '../../http/principal.js';
import type { FieldError } from '../../http/problem.js';
import {
  type AuditChanges,
  type AuditEventInput,
  creationChanges,
  diffChanges,
  recordAuditEvents,
} from '../audit/repository.js';
import { type EventInput, recordEvents } from '../events/outbox.js';
import {
  asStored,
  documentOf,
  type MemberDocument,
  type MemberRow,
  storedText,
  toDocument,
  type ValidMemberInput,
} from './document.js';
import { memberEvent } from './events.js';
import { upsertMemberKeys, upsertMembers, type WrittenMember } from './repository.js';
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

const pairKey = (partnerCode: string, externalRef: string) => `${partnerCode}\u0000${externalRef}`;

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
  db: Db,
  rows: UpsertRow[],
  lock: boolean,
  writer: Writer,
): Promise<UpsertPlan[]> {
  if (rows.length === 0) return [];
  const existing = await selectByExternalRefs(db, rows, lock);
  const byPair = new Map(existing.map((m) => [pairKey(m.partnerCode, m.externalRef ?? ''), m]));
  const ices = [
    ...new Set(rows.map((r) => r.input.ice).filter((v): v is string => typeof v === 'string')),
  ];
  const holders =
    ices.length === 0
      ? []
      : await db
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

async function selectByExternalRefs(db: Db, rows: UpsertRow[], lock: boolean) {
  const codes = rows.map((r) => r.partnerCode);
  const refs = rows.map((r) => r.externalRef);
  let query = db
    .selectFrom('members')
    .selectAll()
    .where(
      sql<boolean>`(partner_code, external_ref) in (select * from unnest(${codes}::text[], ${refs}::text[]))`,
    );
  if (lock) query = query.orderBy('id').forUpdate();
  return query.execute();
}

const keyOf = ({ id, partnerCode, externalRef, version, inserted }: MemberRow & WrittenMember) => ({
  id,
  partnerCode,
  externalRef,
  version,
  inserted,
});

export interface UpsertOutcome {
  id: string;
  created: boolean;
  version: number;
  /** The written row, when asked for. */
  row?: MemberRow;
}

/**
 * Writes every created and updated plan in ONE insert … on conflict statement and records
 * their audit events in one insert. A row another transaction inserted meanwhile turns into an
 * update (the statement says which by `xmax = 0`). The audit diffs the documents as stored
 * (`asStored`): what the rows read back as, without reading them back.
 */
export async function applyUpserts(
  db: Db,
  principal: Principal,
  plans: UpsertPlan[],
  returnRows = false,
): Promise<Map<UpsertPlan, UpsertOutcome>> {
  const writes = plans.filter(
    (p): p is Extract<UpsertPlan, { kind: 'created' | 'updated' }> =>
      p.kind === 'created' || p.kind === 'updated',
  );
  const outcomes = new Map<UpsertPlan, UpsertOutcome>();
  if (writes.length === 0) return outcomes;
  const writer = writerOf(principal);
  const members = writes.map((p) => ({
    id: p.id,
    partnerCode: p.row.partnerCode,
    doc: p.doc,
    writer,
  }));
  const written: (WrittenMember & { row?: MemberRow })[] = returnRows
    ? (await upsertMembers(db, members)).map((row) => ({ ...keyOf(row), row }))
    : await upsertMemberKeys(db, members);
  const byPair = new Map(written.map((w) => [pairKey(w.partnerCode, w.externalRef ?? ''), w]));
  const events: AuditEventInput[] = [];
  const feed: EventInput[] = [];
  for (const plan of writes) {
    const w = byPair.get(pairKey(plan.row.partnerCode, plan.doc.externalRef ?? ''));
    if (!w) throw new Error('the upsert did not return a written row');
    const { id, partnerCode, inserted, version } = w;
    outcomes.set(plan, { id, created: inserted, version, row: w.row });
    const action = inserted ? 'created' : 'updated';
    const changes = plan.kind === 'updated' ? plan.changes : creationChanges(plan.doc);
    events.push({
      actor: actorOf(principal),
      entity: 'member',
      entityId: id,
      action,
      partnerCode,
      changes,
    });
    feed.push(memberEvent(w, action, changes, actorOf(principal)));
  }
  await recordAuditEvents(db, events);
  await recordEvents(db, feed);
  return outcomes;
}
