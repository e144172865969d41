import type { EventRow } from './repository.js';
import type { Event } from './schemas.js';

/** An event as the feed and webhook deliveries show it. */
export function toEvent(row: EventRow): Event {
  return {
    id: row.id,
    type: row.type as Event['type'],
    occurredAt: row.occurredAt,
    partnerCode: row.partnerCode,
    subject: {
      kind: row.subjectKind,
      id: row.subjectId,
      ...(row.subjectExternalRef === null ? {} : { externalRef: row.subjectExternalRef }),
    },
    data: row.data,
    actor: row.actor as Event['actor'],
  };
}
