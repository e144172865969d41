import type { Db } from '../../db/database.js';
import type { Principal } from '../../http/plugins/auth.js';
import { conflict } from '../../http/problem.js';
import { diffChanges, recordAuditEvent } from '../audit/repository.js';
import { insertPartner } from './repository.js';
import type { NewPartner } from './schemas.js';

/** Registers a partner and audits it; 409 when the code is taken. */
export async function createPartner(db: Db, principal: Principal, body: NewPartner) {
  const inserted = await insertPartner(db, body);
  if (!inserted) throw conflict(`A partner ${body.code} exists already.`);
  await recordAuditEvent(db, {
    actor: principal,
    entity: 'partner',
    entityId: inserted.code,
    action: 'created',
    partnerCode: inserted.code,
    changes: diffChanges({}, inserted, ['code', 'name', 'shortName']),
  });
  return inserted;
}
