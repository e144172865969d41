import { Type } from 'typebox';
import { component, ref, responseComponent } from '../../http/schemas/components.js';
import { Nullable } from '../../http/schemas/nullable.js';
import { EventTypeRef } from '../events/schemas.js';

const Url = Type.String({
  minLength: 1,
  maxLength: 2000,
  description:
    'Where deliveries are POSTed: https to a public address (http and inner addresses only where WEBHOOK_ALLOW_INSECURE_URLS is on)',
});
const Types = Type.Array(EventTypeRef, {
  minItems: 1,
  maxItems: 50,
  uniqueItems: true,
  description: 'The event types to deliver',
});
const Description = Type.String({ maxLength: 500 });

const NewSubscriptionSchema = component(
  'NewWebhookSubscription',
  Type.Object(
    {
      url: Url,
      types: Types,
      description: Type.Optional(Description),
      partnerCode: Type.Optional(
        Type.String({
          maxLength: 40,
          description:
            "Admin keys: deliver only what this partner's keys may read (absent: every event). Partner keys: their own, implied.",
        }),
      ),
    },
    { additionalProperties: false },
  ),
);

const SubscriptionPatchSchema = component(
  'WebhookSubscriptionPatch',
  Type.Object(
    {
      url: Type.Optional(Url),
      types: Type.Optional(Types),
      description: Type.Optional(Type.Union([Description, Type.Null()])),
      status: Type.Optional(
        Type.Union([Type.Literal('active'), Type.Literal('disabled')], {
          description: '`active` again after a 410 or a pause; `disabled`: nothing is sent',
        }),
      ),
    },
    { additionalProperties: false },
  ),
);

const subscriptionProperties = {
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  types: Type.Array(EventTypeRef),
  description: Nullable(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  disabledReason: Nullable(Type.String({ description: 'Why the service disabled it, e.g. a 410' })),
  partnerCode: Nullable(
    Type.String({ description: "A partner key's subscription: that partner's events only" }),
  ),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

const SubscriptionSchema = responseComponent(
  'WebhookSubscription',
  Type.Object(subscriptionProperties),
);

const SubscriptionWithSecretSchema = responseComponent(
  'WebhookSubscriptionWithSecret',
  Type.Object({
    ...subscriptionProperties,
    secret: Type.String({
      description:
        'The signing secret, `whsec_` + base64: shown this once. Verify `webhook-signature` with it (docs/events-and-webhooks.md).',
    }),
  }),
);

const DeliverySchema = responseComponent(
  'WebhookDelivery',
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    eventId: Type.String({ format: 'uuid', description: 'Also the `webhook-id` header' }),
    attempt: Type.Integer({ minimum: 1 }),
    state: Type.Union(
      [
        Type.Literal('pending'),
        Type.Literal('sending'),
        Type.Literal('succeeded'),
        Type.Literal('failed'),
      ],
      { description: '`pending`: due at `dueAt`' },
    ),
    dueAt: Type.String({ format: 'date-time' }),
    statusCode: Nullable(Type.Integer({ description: "The receiver's answer; null: none came" })),
    error: Nullable(Type.String()),
    durationMs: Nullable(Type.Integer()),
    nextAttemptAt: Nullable(
      Type.String({ format: 'date-time', description: 'When the next attempt is due, if any' }),
    ),
    startedAt: Nullable(Type.String({ format: 'date-time' })),
    finishedAt: Nullable(Type.String({ format: 'date-time' })),
    createdAt: Type.String({ format: 'date-time' }),
  }),
);

export const NewSubscriptionRef = ref(NewSubscriptionSchema);
export const SubscriptionPatchRef = ref(SubscriptionPatchSchema);
export const SubscriptionRef = ref(SubscriptionSchema);
export const SubscriptionWithSecretRef = ref(SubscriptionWithSecretSchema);
export const DeliveryRef = ref(DeliverySchema);

export const SubscriptionParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const DeliveryParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  deliveryId: Type.String({ format: 'uuid' }),
});
