import type { Principal } from '../../http/plugins/auth.js';
import type { EventInput } from './outbox.js';

/** A period lock or unlock: for all partners (partnerCode null) or for one. */
export function periodEvent(
  type: 'period.locked' | 'period.unlocked',
  lock: { id: string; period: string; partnerCode: string | null },
  principal: Principal,
): EventInput {
  return {
    type,
    partnerCode: lock.partnerCode,
    subject: { kind: 'periodLock', id: lock.id },
    data: { period: lock.period, partnerCode: lock.partnerCode },
    actor: principal,
  };
}

/** A grid version open for assessments from now on. */
export function gridPublishedEvent(
  grid: { id: string; code: string; version: number; revision: number },
  principal: Principal,
): EventInput {
  return {
    type: 'grid.published',
    partnerCode: null,
    subject: { kind: 'grid', id: grid.id },
    data: { code: grid.code, version: grid.version, revision: grid.revision },
    actor: principal,
  };
}
