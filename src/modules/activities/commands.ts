import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { uuidv7 } from '../../db/uuid.js';
import { staleVersion } from '../../http/etag.js';
import { applyMergePatch } from '../../http/merge-patch.js';
import type { Principal } from '../../http/plugins/auth.js';
import {
  assertNoErrors,
  badRequest,
  type FieldError,
  forbidden,
  notFound,
} from '../../http/problem.js';
import { diffChanges, recordAuditEvent } from '../audit/repository.js';
import { changedFields, recordEvent } from '../events/outbox.js';
import { choosePartner, partnerCodes } from '../members/access.js';
import { assertPeriodOpen } from '../periods/locks.js';
import { periodContaining } from '../periods/period.js';
import {
  type ActivityColumns,
  type ActivityRow,
  findActivity,
  insertActivity,
  lockActivity,
  type Participant,
  participantsOf,
  partnersOfMembers,
  replaceParticipants,
  updateActivity,
  visibleMemberIds,
} from './repository.js';
import { ActivityStateSchema, type NewActivity, NewActivitySchema } from './schemas.js';
import { activityRuleErrors, memberIdsOf, mergeErrors, schemaErrorsOf } from './validation.js';

/** An activity with its participants, as stored. */
export interface StoredActivity {
  row: ActivityRow;
  participants: Participant[];
}

const newActivityErrors = schemaErrorsOf(NewActivitySchema);
const activityStateErrors = schemaErrorsOf(ActivityStateSchema);

const scopeOf = (principal: Principal) =>
  principal.role === 'partner' ? principal.partnerCode : null;

const activityNotFound = (id: string) => notFound(`There is no activity ${id}.`);

/**
 * Participants must be members the key can see. An unknown member and another partner's member
 * get the same message, so that the answer reveals nothing about other partners.
 */
async function participantErrors(db: Db, principal: Principal, participants: unknown) {
  const ids = memberIdsOf(participants);
  const known = ids.filter((id): id is string => id !== undefined);
  const visible = await visibleMemberIds(db, [...new Set(known)], scopeOf(principal));
  const errors: FieldError[] = [];
  ids.forEach((id, i) => {
    if (id !== undefined && !visible.has(id))
      errors.push({
        pointer: `/participants/${i}/memberId`,
        message: 'names no member you can see',
      });
  });
  return errors;
}

function columnsOf(doc: NewActivity, partnerCode: string): ActivityColumns {
  return {
    partnerCode,
    type: doc.type,
    mode: doc.mode,
    title: doc.title,
    startsOn: doc.startsOn,
    endsOn: doc.endsOn,
    city: doc.city ?? null,
    region: doc.region ?? null,
    country: doc.country,
  };
}

const participantsIn = (doc: NewActivity): Participant[] =>
  doc.participants.map(({ memberId, women, men }) => ({ memberId, women, men }));

/** The activity as the API shows it and as the audit log compares it. */
function documentOf(stored: StoredActivity) {
  const { row, participants } = stored;
  return {
    partnerCode: row.partnerCode,
    type: row.type,
    mode: row.mode,
    title: row.title,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    city: row.city,
    region: row.region,
    country: row.country,
    participants,
  };
}

/**
 * Activities feed computed KPIs (by their start and their members' partners): a write that
 * would change a figure of a locked period is refused with 409, before or after the change.
 */
async function assertOpenFor(db: Db, startsOn: string, partners: Iterable<string>) {
  const period = periodContaining(startsOn, 'month');
  for (const partner of new Set(partners)) await assertPeriodOpen(db, period, partner);
}

/** Records a write in the audit log and the change feed. */
async function audit(
  db: Db,
  principal: Principal,
  action: 'created' | 'updated',
  before: StoredActivity | null,
  after: StoredActivity,
) {
  const changes = diffChanges(before ? documentOf(before) : {}, documentOf(after));
  await recordAuditEvent(db, {
    actor: principal,
    entity: 'activity',
    entityId: after.row.id,
    action,
    partnerCode: after.row.partnerCode,
    changes,
  });
  await recordEvent(db, {
    type: action === 'created' ? 'activity.created' : 'activity.updated',
    partnerCode: after.row.partnerCode,
    subject: { kind: 'activity', id: after.row.id },
    data: { version: after.row.version, changedFields: changedFields(changes) },
    actor: principal,
  });
}

export async function createActivity(db: Db, principal: Principal, body: unknown) {
  const input = (body ?? {}) as Record<string, unknown>;
  const partner = choosePartner(principal, input.partnerCode, await partnerCodes(db));
  if (partner.code === undefined && partner.forbidden)
    throw forbidden(`partnerCode ${partner.message}.`);
  const errors = mergeErrors(
    newActivityErrors(body),
    partner.code === undefined ? [{ pointer: '/partnerCode', message: partner.message }] : [],
    activityRuleErrors(input),
    await participantErrors(db, principal, input.participants),
  );
  assertNoErrors(errors, 'The activity is invalid.');
  const doc = body as NewActivity;
  const partnerCode = partner.code as string;
  const participants = participantsIn(doc);
  const memberPartners = await partnersOfMembers(
    db,
    participants.map((p) => p.memberId),
  );
  await assertOpenFor(db, doc.startsOn, [partnerCode, ...memberPartners]);
  const row = await insertActivity(db, uuidv7(), columnsOf(doc, partnerCode));
  await replaceParticipants(db, row.id, participants);
  const created = { row, participants };
  await audit(db, principal, 'created', null, created);
  return created;
}

export async function getActivity(db: Db, principal: Principal, id: string) {
  const row = await findActivity(db, id, scopeOf(principal));
  if (!row) throw activityNotFound(id);
  const participants = (await participantsOf(db, [row.id])).get(row.id) ?? [];
  return { row, participants };
}

/** Drops nulls (absent optional fields), as a merge patch expects its target. */
function patchBase(stored: StoredActivity): Record<string, unknown> {
  return Object.fromEntries(Object.entries(documentOf(stored)).filter(([, v]) => v !== null));
}

/**
 * Applies a JSON merge patch (RFC 7396); `participants`, an array, is replaced as a whole. The
 * result is validated as a whole activity: pointers name fields of the patched activity.
 */
export async function patchActivity(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
  patch: unknown,
  expected: number | undefined,
): Promise<StoredActivity> {
  const row = await lockActivity(trx, id, scopeOf(principal));
  if (!row) throw activityNotFound(id);
  if (expected !== undefined && row.version !== expected) throw staleVersion(row.version);
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw badRequest('A merge patch of an activity must be a JSON object.', [
      { pointer: '', message: 'must be an object' },
    ]);
  }
  const before = { row, participants: (await participantsOf(trx, [row.id])).get(row.id) ?? [] };
  const merged = applyMergePatch(patchBase(before), patch);
  const participantsSent = 'participants' in patch;
  const errors = mergeErrors(
    activityStateErrors(merged),
    merged.partnerCode === row.partnerCode
      ? []
      : [{ pointer: '/partnerCode', message: 'cannot be changed' }],
    activityRuleErrors(merged),
    // Members already listed stay valid; new names must be visible to the key.
    participantsSent ? await participantErrors(trx, principal, merged.participants) : [],
  );
  assertNoErrors(errors, 'The activity is invalid.');
  const doc = merged as NewActivity;
  const columns = columnsOf(doc, row.partnerCode);
  const participants = participantsIn(doc);
  const changes = diffChanges(documentOf(before), { ...columns, participants });
  if (Object.keys(changes).length === 0) return before;
  const memberIds = [...before.participants, ...participants].map((p) => p.memberId);
  const partners = [row.partnerCode, ...(await partnersOfMembers(trx, memberIds))];
  await assertOpenFor(trx, row.startsOn, partners);
  if (doc.startsOn !== row.startsOn) await assertOpenFor(trx, doc.startsOn, partners);
  const updated = await updateActivity(trx, row.id, columns);
  if (changes.participants) await replaceParticipants(trx, row.id, participants);
  const stored = { row: updated, participants };
  await audit(trx, principal, 'updated', before, stored);
  return stored;
}

/** The API's view of an activity. */
export function toActivity(stored: StoredActivity) {
  const { row } = stored;
  const doc = documentOf(stored);
  return {
    id: row.id,
    ...doc,
    totals: {
      members: doc.participants.length,
      women: doc.participants.reduce((sum, p) => sum + p.women, 0),
      men: doc.participants.reduce((sum, p) => sum + p.men, 0),
    },
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
