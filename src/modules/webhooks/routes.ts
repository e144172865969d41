import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { created } from '../../http/created.js';
import { expectedVersion, IfMatchRequired, setVersionTag } from '../../http/etag.js';
import {
  decodeCursor,
  decodeSingleKeyCursor,
  PageQuery,
  PageSchema,
  toPage,
} from '../../http/schemas/pagination.js';
import {
  createSubscription,
  getSubscription,
  patchSubscription,
  removeSubscription,
  retryDelivery,
  rotateSubscriptionSecret,
  scopeOf,
} from './commands.js';
import { listDeliveries, listSubscriptions } from './repository.js';
import { toDelivery, toSubscription } from './representation.js';
import {
  DeliveryParams,
  DeliveryRef,
  NewSubscriptionRef,
  SubscriptionParams,
  SubscriptionPatchRef,
  SubscriptionRef,
  SubscriptionWithSecretRef,
} from './schemas.js';

const tags = ['webhooks'];
const allow: ('admin' | 'partner')[] = ['admin', 'partner'];
const SIGNING =
  'Deliveries are POSTs of the event JSON signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see docs/events-and-webhooks.md.';

const SubscriptionPage = PageSchema(SubscriptionRef);
const DeliveryPage = PageSchema(DeliveryRef);

export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const policy = () => ({ allowInsecure: app.config.webhooks.allowInsecureUrls });

  app.post(
    '/v1/webhooks',
    {
      config: { allow },
      schema: {
        operationId: 'createWebhook',
        tags,
        summary: 'Subscribe a URL to events',
        description: `${SIGNING} The answer carries the signing \`secret\`, shown this once. The URL must be https to a public address (every address its host resolves to is checked, now and at each delivery); redirects are not followed. A partner key's subscription receives the events that key may read in the feed.`,
        body: NewSubscriptionRef,
        response: { 201: SubscriptionWithSecretRef },
      },
    },
    async (request, reply) => {
      const { row, secret } = await app.db
        .transaction()
        .execute((trx) => createSubscription(trx, request.principal, request.body, policy()));
      setVersionTag(reply, row.version);
      return created(reply, `/v1/webhooks/${row.id}`).send({ ...toSubscription(row), secret });
    },
  );

  app.get(
    '/v1/webhooks',
    {
      config: { allow },
      schema: {
        operationId: 'listWebhooks',
        tags,
        summary: 'List webhook subscriptions',
        description: 'Admin keys: all; partner keys: their own.',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: SubscriptionPage },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await listSubscriptions(
        app.db,
        scopeOf(request.principal),
        limit,
        decodeSingleKeyCursor(cursor),
      );
      const page = toPage(rows, limit, (r) => [r.id]);
      return { data: page.data.map(toSubscription), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/webhooks/:id',
    {
      config: { allow },
      schema: {
        operationId: 'getWebhook',
        tags,
        summary: 'Read a webhook subscription',
        params: SubscriptionParams,
        response: { 200: SubscriptionRef },
      },
    },
    async (request, reply) => {
      const row = await getSubscription(app.db, request.principal, request.params.id);
      setVersionTag(reply, row.version);
      return toSubscription(row);
    },
  );

  app.patch(
    '/v1/webhooks/:id',
    {
      config: { allow },
      schema: {
        operationId: 'patchWebhook',
        tags,
        summary: 'Change a subscription: URL, types, description, status',
        description:
          '`status: active` enables a subscription again (after a 410 from its receiver, say); attempts still pending are then sent. `If-Match` is required (428 without, 412 when stale).',
        params: SubscriptionParams,
        headers: IfMatchRequired,
        body: SubscriptionPatchRef,
        response: { 200: SubscriptionRef },
      },
    },
    async (request, reply) => {
      const expected = expectedVersion(request);
      const row = await app.db
        .transaction()
        .execute((trx) =>
          patchSubscription(
            trx,
            request.principal,
            request.params.id,
            request.body,
            expected,
            policy(),
          ),
        );
      setVersionTag(reply, row.version);
      return toSubscription(row);
    },
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      config: { allow },
      schema: {
        operationId: 'deleteWebhook',
        tags,
        summary: 'Delete a subscription and its delivery log',
        params: SubscriptionParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await app.db
        .transaction()
        .execute((trx) => removeSubscription(trx, request.principal, request.params.id));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      config: { allow },
      schema: {
        operationId: 'rotateWebhookSecret',
        tags,
        summary: 'Replace the signing secret',
        description:
          'Answers the new secret, shown this once. For 24 hours deliveries carry a signature by the old secret too, so the receiver can switch without losing one.',
        params: SubscriptionParams,
        response: { 200: SubscriptionWithSecretRef },
      },
    },
    async (request) => {
      const { row, secret } = await app.db
        .transaction()
        .execute((trx) => rotateSubscriptionSecret(trx, request.principal, request.params.id));
      return { ...toSubscription(row), secret };
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: { allow },
      schema: {
        operationId: 'listWebhookDeliveries',
        tags,
        summary: 'The delivery log: every attempt, newest first',
        description:
          'Each attempt: the event, its number, the receiver’s status code or the error, the duration, and when the next attempt is due. Failed attempts are retried with exponential back-off and jitter for a little over 3 days (11 attempts).',
        params: SubscriptionParams,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: DeliveryPage },
      },
    },
    async (request) => {
      const row = await getSubscription(app.db, request.principal, request.params.id);
      const { limit, cursor } = request.query;
      const before = decodeCursor(cursor, 2)?.map(String) as [string, string] | undefined;
      const rows = await listDeliveries(app.db, row.id, limit, before);
      const page = toPage(rows, limit, (d) => [d.createdAt, d.id]);
      return { data: page.data.map(toDelivery), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/webhooks/:id/deliveries/:deliveryId/retry',
    {
      config: { allow },
      schema: {
        operationId: 'retryWebhookDelivery',
        tags,
        summary: 'Send a delivery’s event again now',
        description:
          'The attempt waiting for this event is made due now, or a new attempt is added when none waits. Answers 202 with that attempt; the worker sends it shortly.',
        params: DeliveryParams,
        response: { 202: DeliveryRef },
      },
    },
    async (request, reply) => {
      const { id, deliveryId } = request.params;
      const attempt = await app.db
        .transaction()
        .execute((trx) => retryDelivery(trx, request.principal, id, deliveryId));
      return reply.status(202).send(toDelivery(attempt));
    },
  );
};
