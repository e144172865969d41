import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { withholdStoredResponses } from '../../db/stores/idempotency.js';
import type { MemberStatus } from '../../db/tables/members.js';
import { uuidv7 } from '../../db/uuid.js';
import { staleVersion } from '../../http/etag.js';
import { applyMergePatch } from '../../http/merge-patch.js';
import { type Principal, writerOf } from '../../http/plugins/auth.js';
import { actorOf } from '../../http/principal.js';
import {
  assertNoErrors,
  badRequest,
  conflict,
  type FieldError,
  forbidden,
  notFound,
} from '../../http/problem.js';
import {
  type AuditChanges,
  type AuditEventInput,
  creationChanges,
  diffChanges,
  recordAuditEvent,
  recordAuditEvents,
  redactAuditValues,
} from '../audit/repository.js';
import { type EventInput, recordEvent, recordEvents } from '../events/outbox.js';
import { choosePartner, partnerCodes } from './access.js';
import {
  documentOf,
  type MemberDocument,
  type MemberRow,
  patchBase,
  toDocument,
  type ValidMemberInput,
} from './document.js';
import { type MemberAction, memberEvent } from './events.js';
import {
  eraseContacts,
  findByExternalRef,
  findIceHolder,
  findMember,
  insertMember,
  lockMember,
  setMemberStatus,
  updateMember,
  upsertMemberKeys,
  upsertMembers,
  type WrittenMember,
} from './repository.js';
import { MemberStateSchema, NewMemberSchema } from './schemas.js';
import { pairKey, type UpsertPlan } from './upsert.js';
import { documentValidator, today } from './validation.js';

const validateNew = documentValidator(NewMemberSchema);
const validateState = documentValidator(MemberStateSchema);

const scopeOf = (principal: Principal) =>
  principal.role === 'partner' ? principal.partnerCode : null;

function memberNotFound(id: string) {
  return notFound(`There is no member ${id}.`);
}

/** 409 naming the holder: the ICE is a public company identifier, so naming it leaks nothing. */
export function iceTaken(ice: string, existingMemberId: string) {
  return conflict(`A member with ICE ${ice} is registered already.`, { existingMemberId });
}

/** Records a write in the audit log and the change feed. */
async function audit(
  db: Db,
  principal: Principal,
  row: MemberRow,
  action: MemberAction,
  changes: AuditChanges,
) {
  await recordAuditEvent(db, {
    actor: principal,
    entity: 'member',
    entityId: row.id,
    action,
    partnerCode: row.partnerCode,
    changes,
  });
  await recordEvent(db, memberEvent(row, action, changes, principal));
}

/** Refuses a document whose ICE or externalRef another member holds (409 naming it). */
async function assertIdentifiersFree(
  db: Db,
  partnerCode: string,
  doc: MemberDocument,
  selfId: string | null,
) {
  if (doc.ice !== null) {
    const holder = await findIceHolder(db, doc.ice);
    if (holder && holder.id !== selfId) throw iceTaken(doc.ice, holder.id);
  }
  if (doc.externalRef !== null) {
    const holder = await findByExternalRef(db, partnerCode, doc.externalRef);
    if (holder && holder.id !== selfId) {
      throw conflict(`Partner ${partnerCode} has a member with externalRef ${doc.externalRef}.`, {
        existingMemberId: holder.id,
      });
    }
  }
}

export async function createMember(db: Db, principal: Principal, body: unknown) {
  const errors = validateNew(body);
  const input = body as Record<string, unknown>;
  const partner = choosePartner(principal, input?.partnerCode, await partnerCodes(db));
  if (partner.code === undefined) {
    if (partner.forbidden) throw forbidden(`partnerCode ${partner.message}.`);
    errors.push({ pointer: '/partnerCode', message: partner.message });
  }
  assertNoErrors(errors);
  const partnerCode = partner.code as string;
  const doc = toDocument(body as ValidMemberInput, today());
  await assertIdentifiersFree(db, partnerCode, doc, null);
  const row = await insertMember(db, {
    id: uuidv7(),
    partnerCode,
    doc,
    writer: writerOf(principal),
  });
  await audit(db, principal, row, 'created', diffChanges({}, documentOf(row)));
  return row;
}

export async function getMember(db: Db, principal: Principal, id: string) {
  const row = await findMember(db, id, scopeOf(principal));
  if (!row) throw memberNotFound(id);
  return row;
}

/** The member a partner system knows by its own id (the path's partner is checked first). */
export async function getMemberByExternalRef(db: Db, partnerCode: string, externalRef: string) {
  const row = await findByExternalRef(db, partnerCode, externalRef);
  if (!row) throw notFound(`Partner ${partnerCode} has no member with externalRef ${externalRef}.`);
  return row;
}

/** The member the caller may see, locked, at the version it expects. */
async function lockForChange(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
  expected?: number,
) {
  const row = await lockMember(trx, id, scopeOf(principal));
  if (!row) throw memberNotFound(id);
  if (expected !== undefined && row.version !== expected) throw staleVersion(row.version);
  return row;
}

/**
 * Applies a JSON merge patch (RFC 7396) to the member's document and status, then validates
 * the result as a whole: pointers name fields of the patched member.
 */
export async function patchMember(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
  patch: unknown,
  expected: number | undefined,
) {
  const row = await lockForChange(trx, principal, id, expected);
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw badRequest('A merge patch of a member must be a JSON object.', [
      { pointer: '', message: 'must be an object' },
    ]);
  }
  const merged = applyMergePatch(patchBase(row), patch);
  const errors = validateState(merged);
  if (merged.partnerCode !== row.partnerCode)
    errors.push({ pointer: '/partnerCode', message: 'cannot be changed' });
  const state = resolveState(merged, patch as Record<string, unknown>, errors);
  assertNoErrors(errors);
  const doc = toDocument(merged as ValidMemberInput, row.joinedOn);
  const before = { ...documentOf(row), status: row.status, withdrawnOn: row.withdrawnOn };
  const changes = diffChanges(before, { ...doc, ...state });
  if (Object.keys(changes).length === 0) return row;
  await assertIdentifiersFree(trx, row.partnerCode, doc, row.id);
  const updated = await updateMember(trx, row.id, doc, state, writerOf(principal));
  const withdrawn = state.status === 'withdrawn' && row.status !== 'withdrawn';
  await audit(trx, principal, updated, withdrawn ? 'withdrawn' : 'updated', changes);
  return updated;
}

/**
 * Status and withdrawal date after a patch: `withdrawn` without a date means today; leaving
 * `withdrawn` clears the date; a date on a member that is not withdrawn is an error.
 */
function resolveState(
  merged: Record<string, unknown>,
  patch: Record<string, unknown>,
  errors: FieldError[],
) {
  const status = merged.status as MemberStatus;
  let withdrawnOn = (merged.withdrawnOn as string | undefined) ?? null;
  if (status === 'withdrawn') withdrawnOn ??= today();
  else if (withdrawnOn !== null) {
    if (patch.withdrawnOn !== undefined)
      errors.push({ pointer: '/withdrawnOn', message: 'is only for a withdrawn member' });
    withdrawnOn = null;
  }
  return { status, withdrawnOn };
}

/** Withdraws a member today; its data stays for reporting. Withdrawing again changes nothing. */
export async function withdrawMember(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
  expected: number | undefined,
) {
  const row = await lockForChange(trx, principal, id, expected);
  if (row.status === 'withdrawn') return row;
  const updated = await setMemberStatus(trx, row.id, 'withdrawn', today(), writerOf(principal));
  await audit(trx, principal, updated, 'withdrawn', {
    status: { from: row.status, to: 'withdrawn' },
    withdrawnOn: { from: null, to: updated.withdrawnOn },
  });
  return updated;
}

/**
 * Removes the contacts' names, e-mails and phones from the member, its audit history and the
 * idempotent responses kept about it;
 * the member's counts and other statistics stay.
 */
export async function erasePersonalData(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
) {
  const row = await lockForChange(trx, principal, id);
  const updated = await eraseContacts(trx, row.id, writerOf(principal));
  await redactAuditValues(trx, 'member', row.id, ['contacts']);
  // Stored idempotent responses about the member hold copies of its contacts (docs/security.md).
  await withholdStoredResponses(trx, `/v1/members/${row.id}`);
  await audit(trx, principal, updated, 'erased', {
    contactsCount: { from: row.contacts.length, to: 0 },
  });
  return updated;
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
