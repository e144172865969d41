import { Type } from 'typebox';
import { ActorSchema } from '../../http/principal.js';
import { responseComponent } from '../../http/schemas/components.js';
import { PageQuery } from '../../http/schemas/pagination.js';
import { AuditActionSchema } from './actions.js';

const Text = (description: string) => Type.String({ minLength: 1, maxLength: 200, description });

export const AuditQuerySchema = Type.Object(
  {
    ...PageQuery,
    entity: Type.Optional(Text('Kind of record, e.g. `member`, `partner`, `apiKey`')),
    entityId: Type.Optional(Text('Id (or code) of the record')),
    action: Type.Optional(AuditActionSchema),
    actor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1000,
        description:
          "The actor's `id`: an API key's id, or a person's `<issuer>#<subject>` (URL-encode the `#`)",
      }),
    ),
    actorKeyId: Type.Optional(
      Type.String({
        format: 'uuid',
        deprecated: true,
        description: 'The API key that made the write (use `actor`)',
      }),
    ),
    partner: Type.Optional(
      Type.String({ maxLength: 40, description: 'Partner code the record belongs to' }),
    ),
    from: Type.Optional(
      Type.String({ format: 'date-time', description: 'Events at or after this instant' }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date-time', description: 'Events before this instant' }),
    ),
  },
  { additionalProperties: false },
);
export const AuditEventSchema = responseComponent(
  'AuditEvent',
  Type.Object(
    {
      id: Type.String({ format: 'uuid' }),
      occurredAt: Type.String({ format: 'date-time' }),
      actor: Type.Union([ActorSchema, Type.Null()]),
      actorKeyId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
        description: 'The API key that made the write, null for a person (see `actor`)',
      }),
      partnerCode: Type.Union([Type.String(), Type.Null()]),
      entity: Type.String(),
      entityId: Type.String(),
      action: AuditActionSchema,
      changes: Type.Union(
        [
          Type.Record(
            Type.String(),
            Type.Object({ from: Type.Optional(Type.Unknown()), to: Type.Optional(Type.Unknown()) }),
          ),
          Type.Null(),
        ],
        { description: 'Changed fields with their values before (`from`) and after (`to`)' },
      ),
    },
    { title: 'Who changed what, when' },
  ),
);
