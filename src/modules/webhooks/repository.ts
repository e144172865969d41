import { type RawBuilder, type Selectable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type {
  WebhookDeliveriesTable,
  WebhookSubscriptionsTable,
} from '../../db/tables/webhooks.js';
import { uuidv7 } from '../../db/uuid.js';
import { visibleTo } from '../events/types.js';

export type SubscriptionRow = Selectable<WebhookSubscriptionsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** How long an old secret keeps signing after a rotation. */
const ROTATION_OVERLAP = sql`interval '24 hours'`;

/**
 * The deliveries of just-recorded events (a CTE `e` with id, type, partner_code): one pending
 * first attempt per active subscription that wants the type and may see the event. Part of the
 * statement that records the events, so an event and its deliveries commit together.
 */
export function fanOutDeliveries(): RawBuilder<unknown> {
  const event = { type: sql.ref('e.type'), partnerCode: sql.ref('e.partner_code') };
  return sql`insert into webhook_deliveries (id, subscription_id, event_id, attempt, state)
    select gen_random_uuid(), s.id, e.id, 1, 'pending'
    from e join webhook_subscriptions s
      on s.status = 'active' and e.type = any(s.types)
      and ${visibleTo(event, sql.ref('s.owner_role'), sql.ref('s.partner_code'))}`;
}

/** A subscription visible to the caller: any for admin (scope null), its own for a partner. */
export function findSubscription(db: Db, id: string, scope: string | null) {
  return subscriptionById(db, id, scope).executeTakeFirst();
}

/** The subscription, locked until the transaction ends (commands that change it). */
export function lockSubscription(trx: Transaction<Database>, id: string, scope: string | null) {
  return subscriptionById(trx, id, scope).forUpdate().executeTakeFirst();
}

function subscriptionById(db: Db, id: string, scope: string | null) {
  const query = db.selectFrom('webhookSubscriptions').selectAll().where('id', '=', id);
  return scope === null ? query : query.where('partnerCode', '=', scope);
}

export function listSubscriptions(db: Db, scope: string | null, limit: number, afterId?: string) {
  let query = db
    .selectFrom('webhookSubscriptions')
    .selectAll()
    .orderBy('id')
    .limit(limit + 1);
  if (scope !== null) query = query.where('partnerCode', '=', scope);
  if (afterId !== undefined) query = query.where('id', '>', afterId);
  return query.execute();
}

export async function insertSubscription(
  db: Db,
  s: {
    url: string;
    types: string[];
    description: string | null;
    ownerRole: 'admin' | 'partner';
    partnerCode: string | null;
    createdBy: string;
    secret: string;
  },
) {
  const row = await db
    .insertInto('webhookSubscriptions')
    .values({
      id: uuidv7(),
      url: s.url,
      types: s.types,
      description: s.description,
      ownerRole: s.ownerRole,
      partnerCode: s.partnerCode,
      createdBy: s.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await addSecret(db, row.id, s.secret);
  return row;
}

function addSecret(db: Db, subscriptionId: string, secret: string) {
  return db
    .insertInto('webhookSecrets')
    .values({ id: uuidv7(), subscriptionId, secret, expiresAt: null })
    .execute();
}

/** Replaces the signing secret: the ones signing now keep signing for 24 h more, then stop. */
export async function rotateSecret(db: Db, subscriptionId: string, secret: string) {
  await db
    .updateTable('webhookSecrets')
    .set({ expiresAt: sql<string>`now() + ${ROTATION_OVERLAP}` })
    .where('subscriptionId', '=', subscriptionId)
    .where((eb) =>
      eb.or([
        eb('expiresAt', 'is', null),
        eb('expiresAt', '>', sql<string>`now() + ${ROTATION_OVERLAP}`),
      ]),
    )
    .execute();
  await db
    .deleteFrom('webhookSecrets')
    .where('subscriptionId', '=', subscriptionId)
    .where('expiresAt', '<=', sql<string>`now()`)
    .execute();
  await addSecret(db, subscriptionId, secret);
}

/** The secrets that sign now, newest first. */
export async function liveSecrets(db: Db, subscriptionId: string) {
  const rows = await db
    .selectFrom('webhookSecrets')
    .select('secret')
    .where('subscriptionId', '=', subscriptionId)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', sql<string>`now()`)]))
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => r.secret);
}

export function updateSubscription(
  db: Db,
  id: string,
  changes: Partial<
    Pick<SubscriptionRow, 'url' | 'types' | 'description' | 'status' | 'disabledReason'>
  >,
) {
  return db
    .updateTable('webhookSubscriptions')
    .set({ ...changes, version: sql<number>`version + 1`, updatedAt: sql<string>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function deleteSubscription(db: Db, id: string) {
  return db.deleteFrom('webhookSubscriptions').where('id', '=', id).execute();
}

/** The attempts of a subscription, newest first. */
export function listDeliveries(
  db: Db,
  subscriptionId: string,
  limit: number,
  before?: [string, string],
) {
  let query = db
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('subscriptionId', '=', subscriptionId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (before) {
    query = query.where((eb) =>
      eb.or([
        eb('createdAt', '<', before[0]),
        eb.and([eb('createdAt', '=', before[0]), eb('id', '<', before[1])]),
      ]),
    );
  }
  return query.execute();
}

export function findDelivery(db: Db, subscriptionId: string, id: string) {
  return db
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('subscriptionId', '=', subscriptionId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * A manual retry of a delivery's event: the attempt already waiting is made due now, or a new
 * attempt is added when none waits. Returns the attempt that will be sent.
 */
export async function retryNow(db: Db, delivery: DeliveryRow): Promise<DeliveryRow> {
  const waiting = await db
    .updateTable('webhookDeliveries')
    .set({ dueAt: sql<string>`now()` })
    .where('subscriptionId', '=', delivery.subscriptionId)
    .where('eventId', '=', delivery.eventId)
    .where('state', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  if (waiting) return waiting;
  const last = await db
    .selectFrom('webhookDeliveries')
    .select(sql<number>`max(attempt)`.as('attempt'))
    .where('subscriptionId', '=', delivery.subscriptionId)
    .where('eventId', '=', delivery.eventId)
    .executeTakeFirstOrThrow();
  return db
    .insertInto('webhookDeliveries')
    .values({
      id: uuidv7(),
      subscriptionId: delivery.subscriptionId,
      eventId: delivery.eventId,
      attempt: Number(last.attempt) + 1,
      state: 'pending',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
