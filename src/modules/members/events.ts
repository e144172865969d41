import type { Actor } from '../../http/principal.js';
import type { AuditChanges } from '../audit/repository.js';
import { changedFields, type EventInput } from '../events/outbox.js';

export type MemberAction = 'created' | 'updated' | 'withdrawn' | 'erased';

/**
 * The feed's event for a member write: its id, partner id, version and the names of the fields
 * that changed. Never their values: contacts are personal data (read the member for those).
 */
export function memberEvent(
  member: { id: string; partnerCode: string; externalRef: string | null; version: number },
  action: MemberAction,
  changes: AuditChanges,
  actor: Actor | null,
): EventInput {
  return {
    type: `member.${action}`,
    partnerCode: member.partnerCode,
    subject: { kind: 'member', id: member.id, externalRef: member.externalRef },
    data: { version: member.version, changedFields: fieldsOf(action, changes) },
    actor,
  };
}

/** An erasure's audit entry counts the contacts it removed; the member field it changed is `contacts`. */
function fieldsOf(action: MemberAction, changes: AuditChanges) {
  return action === 'erased' ? ['contacts'] : changedFields(changes);
}
