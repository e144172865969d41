import type { Db } from '../../db/database.js';
import { withholdStoredResponses } from '../../db/stores/idempotency.js';
import type { MemberStatus } from '../../db/tables/members.js';
import { uuidv7 } from '../../db/uuid.js';
import { staleVersion } from '../../http/etag.js';
import { applyMergePatch } from '../../http/merge-patch.js';
import { type Principal, writerOf } from '../../http/plugins/auth.js';
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
  diffChanges,
  recordAuditEvent,
  redactAuditValues,
} from '../audit/repository.js';
import { recordEvent } from '../events/outbox.js';
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
  setMemberStatus,
  updateMember,
} from './repository.js';
import { MemberStateSchema, NewMemberSchema } from './schemas.js';
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

async function lockMember(db: Db, principal: Principal, id: string, expected?: number) {
  const row = await findMember(db, id, scopeOf(principal), true);
  if (!row) throw memberNotFound(id);
  if (expected !== undefined && row.version !== expected) throw staleVersion(row.version);
  return row;
}

/**
 * Applies a JSON merge patch (RFC 7396) to the member's document and status, then validates
 * the result as a whole: pointers name fields of the patched member.
 */
export async function patchMember(
  db: Db,
  principal: Principal,
  id: string,
  patch: unknown,
  expected: number | undefined,
) {
  const row = await lockMember(db, principal, id, expected);
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
  await assertIdentifiersFree(db, row.partnerCode, doc, row.id);
  const updated = await updateMember(db, row.id, doc, state, writerOf(principal));
  const withdrawn = state.status === 'withdrawn' && row.status !== 'withdrawn';
  await audit(db, principal, updated, withdrawn ? 'withdrawn' : 'updated', changes);
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
  db: Db,
  principal: Principal,
  id: string,
  expected: number | undefined,
) {
  const row = await lockMember(db, principal, id, expected);
  if (row.status === 'withdrawn') return row;
  const updated = await setMemberStatus(db, row.id, 'withdrawn', today(), writerOf(principal));
  await audit(db, principal, updated, 'withdrawn', {
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
export async function erasePersonalData(db: Db, principal: Principal, id: string) {
  const row = await lockMember(db, principal, id);
  const updated = await eraseContacts(db, row.id, writerOf(principal));
  await redactAuditValues(db, 'member', row.id, ['contacts']);
  // Stored idempotent responses about the member hold copies of its contacts (docs/security.md).
  await withholdStoredResponses(db, `/v1/members/${row.id}`);
  await audit(db, principal, updated, 'erased', {
    contactsCount: { from: row.contacts.length, to: 0 },
  });
  return updated;
}
