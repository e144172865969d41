import type { Db } from '../../db/database.js';
import type { Role } from '../../db/tables/api-keys.js';
import type { Principal } from '../../http/plugins/auth.js';
import { assertNoErrors, type FieldError, notFound } from '../../http/problem.js';
import { diffChanges, recordAuditEvent } from '../audit/repository.js';
import { findPartner } from '../partners/repository.js';
import { createApiKey, revokeApiKey } from './repository.js';

interface KeyRequest {
  name: string;
  role: Role;
  partnerCode?: string;
}

/** Issues a key (a partner key names an existing partner) and audits it. */
export async function issueApiKey(db: Db, principal: Principal, body: KeyRequest) {
  const { name, role, partnerCode } = body;
  const errors: FieldError[] = [];
  if (role === 'partner' && partnerCode === undefined) {
    errors.push({ pointer: '/partnerCode', message: 'is required for a partner key' });
  }
  if (role !== 'partner' && partnerCode !== undefined) {
    errors.push({ pointer: '/partnerCode', message: 'is only for partner keys' });
  }
  if (partnerCode !== undefined && !(await findPartner(db, partnerCode))) {
    errors.push({ pointer: '/partnerCode', message: `names no partner (${partnerCode})` });
  }
  assertNoErrors(errors);
  const key = await createApiKey(db, {
    name,
    role,
    partnerCode: partnerCode ?? null,
    createdBy: principal.id,
  });
  // Never the key nor its hash: the audit log is readable by every admin.
  await recordAuditEvent(db, {
    actor: principal,
    entity: 'apiKey',
    entityId: key.id,
    action: 'created',
    partnerCode: key.partnerCode,
    changes: diffChanges({}, key, ['name', 'role', 'partnerCode', 'keyPrefix']),
  });
  return key;
}

/** Revokes a key; audited only by the call that revoked it, so revoking again writes nothing. */
export async function revokeKey(db: Db, principal: Principal, id: string) {
  const result = await revokeApiKey(db, id);
  if (!result) throw notFound(`There is no API key ${id}.`);
  if (result.revokedNow) {
    await recordAuditEvent(db, {
      actor: principal,
      entity: 'apiKey',
      entityId: result.key.id,
      action: 'revoked',
      partnerCode: result.key.partnerCode,
      changes: { revokedAt: { from: null, to: result.key.revokedAt } },
    });
  }
  return result.key;
}
