import { type Static, Type } from 'typebox';
import { component, responseComponent } from '../../http/schemas/components.js';

export const PartnerCode = Type.String({
  pattern: '^[A-Z][A-Z0-9_]{1,19}$',
  description: 'Upper-case code, e.g. FENIP',
  examples: ['FENIP'],
});

export const PartnerSchema = responseComponent(
  'Partner',
  Type.Object(
    {
      code: PartnerCode,
      name: Type.String({ examples: ['Fédération Nationale des Industries de la Pêche'] }),
      shortName: Type.String(),
      version: Type.Integer(),
      createdAt: Type.String({ format: 'date-time' }),
      updatedAt: Type.String({ format: 'date-time' }),
    },
    { title: 'A partner federation' },
  ),
);

export const NewPartnerSchema = component(
  'NewPartner',
  Type.Object(
    {
      code: PartnerCode,
      name: Type.String({ minLength: 1, maxLength: 200 }),
      shortName: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    },
    { additionalProperties: false },
  ),
);
export type NewPartner = Static<typeof NewPartnerSchema>;

export const PartnerParams = Type.Object({ code: Type.String({ maxLength: 40 }) });
