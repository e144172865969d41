import type { ColumnType, Generated } from 'kysely';

type SubscriptionStatus = 'active' | 'disabled';
type DeliveryState = 'pending' | 'sending' | 'succeeded' | 'failed';

/** Table `webhook_subscriptions`: where and which events to send (docs/events-and-webhooks.md). */
export interface WebhookSubscriptionsTable {
  id: string;
  url: string;
  types: string[];
  description: string | null;
  status: Generated<SubscriptionStatus>;
  disabledReason: string | null;
  /** `admin`: every event; `partner`: what a key of `partnerCode` may read. */
  ownerRole: 'admin' | 'partner';
  partnerCode: string | null;
  createdBy: string | null;
  version: Generated<number>;
  createdAt: ColumnType<string, never, never>;
  updatedAt: ColumnType<string, string | undefined, string>;
}

/** Table `webhook_secrets`: a subscription's signing secrets; an expired one signs no more. */
export interface WebhookSecretsTable {
  id: string;
  subscriptionId: string;
  secret: string;
  createdAt: ColumnType<string, never, never>;
  expiresAt: string | null;
}

/** Table `webhook_deliveries`: one row per attempt to deliver an event to a subscription. */
export interface WebhookDeliveriesTable {
  id: string;
  subscriptionId: string;
  eventId: string;
  attempt: number;
  state: DeliveryState;
  dueAt: ColumnType<string, string | undefined, string>;
  leaseUntil: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  statusCode: number | null;
  error: string | null;
  durationMs: number | null;
  nextAttemptAt: string | null;
  createdAt: ColumnType<string, never, never>;
}
