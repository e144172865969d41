import type { DeliveryRow, SubscriptionRow } from './repository.js';

export function toSubscription(row: SubscriptionRow) {
  return {
    id: row.id,
    url: row.url,
    types: row.types as never[],
    description: row.description,
    status: row.status,
    disabledReason: row.disabledReason,
    partnerCode: row.partnerCode,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toDelivery(row: DeliveryRow) {
  return {
    id: row.id,
    eventId: row.eventId,
    attempt: row.attempt,
    state: row.state,
    dueAt: row.dueAt,
    statusCode: row.statusCode,
    error: row.error,
    durationMs: row.durationMs,
    nextAttemptAt: row.nextAttemptAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    createdAt: row.createdAt,
  };
}
