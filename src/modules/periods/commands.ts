import type { Db } from '../../db/database.js';
import type { Principal } from '../../http/plugins/auth.js';
import { badRequest, notFound } from '../../http/problem.js';
import { recordAuditEvent } from '../audit/repository.js';
import { recordEvent } from '../events/outbox.js';
import { periodEvent } from '../events/programme-events.js';
import { findPartner } from '../partners/repository.js';
import { freezeFigures } from '../reports/frozen.js';
import { lockPeriod, unlockPeriod } from './locks.js';
import type { Period } from './period.js';

/**
 * Locks a period for one partner or all (`created` false: it was locked already, nothing is
 * written). A new lock for all partners freezes the figures, so `db` should be a repeatable-read
 * transaction: they then all come from one snapshot.
 */
export async function closePeriod(
  db: Db,
  principal: Principal,
  period: Period,
  partnerCode: string | null,
  programmeStart: string,
) {
  if (partnerCode !== null && !(await findPartner(db, partnerCode))) {
    throw badRequest('The partner does not exist.', [
      { pointer: '/partnerCode', message: `names no partner (${partnerCode})` },
    ]);
  }
  const locked = await lockPeriod(db, period, partnerCode, principal.id);
  if (!locked.created) return locked;
  await recordAuditEvent(db, {
    actor: principal,
    entity: 'periodLock',
    entityId: locked.lock.id,
    action: 'locked',
    partnerCode,
    changes: { period: { to: period.code }, partnerCode: { to: partnerCode } },
  });
  await recordEvent(db, periodEvent('period.locked', locked.lock, principal));
  if (partnerCode !== null) return locked;
  const frozenAt = await freezeFigures(db, { id: locked.lock.id, period }, programmeStart);
  return { ...locked, lock: { ...locked.lock, frozenAt } };
}

/** Removes the lock of the period for `partnerCode` (null: all partners); 404 when none. */
export async function reopenPeriod(
  db: Db,
  principal: Principal,
  period: Period,
  partnerCode: string | null,
) {
  const lock = await unlockPeriod(db, period.code, partnerCode);
  if (!lock) {
    const whom = partnerCode === null ? 'all partners' : partnerCode;
    throw notFound(`Period ${period.code} is not locked for ${whom}.`);
  }
  await recordAuditEvent(db, {
    actor: principal,
    entity: 'periodLock',
    entityId: lock.id,
    action: 'unlocked',
    partnerCode,
    changes: { period: { from: lock.period }, partnerCode: { from: partnerCode } },
  });
  await recordEvent(db, periodEvent('period.unlocked', lock, principal));
  return lock;
}
