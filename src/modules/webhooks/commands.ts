import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { staleVersion } from '../../http/etag.js';
import type { Principal } from '../../http/plugins/auth.js';
import { assertNoErrors, badRequest, type FieldError, notFound } from '../../http/problem.js';
import type { AuditAction } from '../audit/actions.js';
import { type AuditChanges, diffChanges, recordAuditEvent } from '../audit/repository.js';
import { partnerCodes } from '../members/access.js';
import { resolvePublic, type UrlPolicy, urlFormProblems } from './address.js';
import {
  deleteSubscription,
  findDelivery,
  findSubscription,
  insertSubscription,
  lockSubscription,
  retryNow,
  rotateSecret,
  type SubscriptionRow,
  updateSubscription,
} from './repository.js';
import { newSecret } from './signature.js';

export const scopeOf = (principal: Principal) =>
  principal.role === 'partner' ? principal.partnerCode : null;

function subscriptionNotFound(id: string) {
  return notFound(`There is no webhook subscription ${id}.`);
}

/** 400 unless the URL is https to a public address (policy permitting otherwise). */
async function assertDeliverableUrl(url: string, policy: UrlPolicy) {
  const problems = urlFormProblems(url, policy);
  if (problems.length === 0) {
    const refused = await resolvePublic(new URL(url).hostname.replace(/^\[(.*)\]$/, '$1'), policy);
    if (refused) problems.push(refused);
  }
  assertNoErrors(
    problems.map((message): FieldError => ({ pointer: '/url', message })),
    'The webhook URL is not allowed.',
  );
}

function audit(
  db: Db,
  principal: Principal,
  row: SubscriptionRow,
  action: AuditAction,
  changes?: AuditChanges,
) {
  return recordAuditEvent(db, {
    actor: principal,
    entity: 'webhook',
    entityId: row.id,
    action,
    partnerCode: row.partnerCode,
    ...(changes ? { changes } : {}),
  });
}

const described = (row: SubscriptionRow) => ({
  url: row.url,
  types: row.types,
  description: row.description,
  status: row.status,
});

export async function createSubscription(
  db: Db,
  principal: Principal,
  body: { url: string; types: string[]; description?: string; partnerCode?: string },
  policy: UrlPolicy,
) {
  let partnerCode: string | null = body.partnerCode ?? null;
  if (principal.role === 'partner') {
    if (partnerCode !== null && partnerCode !== principal.partnerCode) {
      throw badRequest('A partner key subscribes to its own events.', [
        { pointer: '/partnerCode', message: `must be your own partner (${principal.partnerCode})` },
      ]);
    }
    partnerCode = principal.partnerCode;
  } else if (partnerCode !== null && !(await partnerCodes(db)).has(partnerCode)) {
    throw badRequest('The partner does not exist.', [
      { pointer: '/partnerCode', message: `names no partner (${partnerCode})` },
    ]);
  }
  await assertDeliverableUrl(body.url, policy);
  const secret = newSecret();
  const row = await insertSubscription(db, {
    url: body.url,
    types: [...body.types],
    description: body.description ?? null,
    ownerRole: partnerCode === null ? 'admin' : 'partner',
    partnerCode,
    createdBy: principal.id,
    secret,
  });
  await audit(db, principal, row, 'created', diffChanges({}, described(row)));
  return { row, secret };
}

export async function getSubscription(db: Db, principal: Principal, id: string) {
  return found(await findSubscription(db, id, scopeOf(principal)), id);
}

/** The subscription the caller may see, locked until the transaction ends. */
async function lockVisibleSubscription(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
) {
  return found(await lockSubscription(trx, id, scopeOf(principal)), id);
}

function found(row: SubscriptionRow | undefined, id: string): SubscriptionRow {
  if (!row) throw subscriptionNotFound(id);
  return row;
}

export async function patchSubscription(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
  patch: {
    url?: string;
    types?: string[];
    description?: string | null;
    status?: 'active' | 'disabled';
  },
  expected: number | undefined,
  policy: UrlPolicy,
) {
  const row = await lockVisibleSubscription(trx, principal, id);
  if (expected !== undefined && expected !== row.version) throw staleVersion(row.version);
  if (patch.url !== undefined) await assertDeliverableUrl(patch.url, policy);
  const after = {
    url: patch.url ?? row.url,
    types: patch.types ?? row.types,
    description: patch.description === undefined ? row.description : patch.description,
    status: patch.status ?? row.status,
  };
  const changes = diffChanges(described(row), after);
  if (Object.keys(changes).length === 0) return row;
  const updated = await updateSubscription(trx, row.id, {
    ...after,
    types: [...after.types],
    // Enabled again (after a 410, say): the reason no longer holds.
    disabledReason: after.status === 'active' ? null : row.disabledReason,
  });
  await audit(trx, principal, updated, 'updated', changes);
  return updated;
}

export async function removeSubscription(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
) {
  const row = await lockVisibleSubscription(trx, principal, id);
  await deleteSubscription(trx, row.id);
  await audit(trx, principal, row, 'deleted');
}

/** A new secret, shown once; the old ones keep signing for 24 h so receivers can switch. */
export async function rotateSubscriptionSecret(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
) {
  const row = await lockVisibleSubscription(trx, principal, id);
  const secret = newSecret();
  await rotateSecret(trx, row.id, secret);
  await audit(trx, principal, row, 'secret-rotated');
  return { row, secret };
}

/** Sends a delivery's event again now (the attempt waiting is made due, or a new one added). */
export async function retryDelivery(
  trx: Transaction<Database>,
  principal: Principal,
  subscriptionId: string,
  deliveryId: string,
) {
  const row = await getSubscription(trx, principal, subscriptionId);
  const delivery = await findDelivery(trx, row.id, deliveryId);
  if (!delivery) throw notFound(`There is no delivery ${deliveryId}.`);
  return retryNow(trx, delivery);
}
