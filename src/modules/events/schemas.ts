import { type Static, Type } from 'typebox';
import { ActorSchema } from '../../http/principal.js';
import { component, ref, responseComponent } from '../../http/schemas/components.js';
import { Nullable } from '../../http/schemas/nullable.js';
import { EVENT_TYPES } from './types.js';

const EventTypeSchema = component(
  'EventType',
  Type.Union(
    EVENT_TYPES.map((t) => Type.Literal(t)),
    { description: 'What happened (docs/events-and-webhooks.md)' },
  ),
);
export const EventTypeRef = ref(EventTypeSchema);

const EventSchema = responseComponent(
  'Event',
  Type.Object({
    id: Type.String({ format: 'uuid', description: 'Also the `webhook-id` of its deliveries' }),
    type: EventTypeRef,
    occurredAt: Type.String({ format: 'date-time' }),
    partnerCode: Nullable(
      Type.String({ description: 'The partner the subject belongs to; null: programme-wide' }),
    ),
    subject: Type.Object({
      kind: Type.String({
        description: 'member, assessment, activity, kpiValue, periodLock, grid',
      }),
      id: Type.String(),
      externalRef: Type.Optional(Type.String({ description: "The partner's own id of a member" })),
    }),
    data: Type.Record(Type.String(), Type.Unknown(), {
      description:
        'Ids, versions and the names of changed fields (`changedFields`); never a name, e-mail or phone: read the resource for those.',
    }),
    actor: Nullable(ActorSchema),
  }),
);
export type Event = Static<typeof EventSchema>;
const EventRef = ref(EventSchema);

export const EventsQuerySchema = Type.Object(
  {
    after: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 512,
        description: 'The `nextCursor` of the previous answer; absent: from the oldest event kept',
      }),
    ),
    types: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1000,
        description: `Comma-separated types to return, e.g. \`member.updated,readiness.changed\`: ${EVENT_TYPES.join(', ')}`,
      }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size, 1–100' }),
  },
  { additionalProperties: false },
);

export const EventPageSchema = Type.Object({
  data: Type.Array(EventRef),
  nextCursor: Type.String({
    description:
      'Never null: the position after the last event returned (or `after` when none); store it and poll again with `after`',
  }),
  hasMore: Type.Boolean({ description: 'More events are ready now: poll again at once' }),
});
