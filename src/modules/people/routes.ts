import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const MeSchema = Type.Object({
  kind: Type.Enum(['key', 'person'], { description: 'An API key (a machine) or a person' }),
  id: Type.String({
    description:
      'The caller as the audit log names it (`actor.id`): the key id, or `<issuer>#<subject>`',
  }),
  subject: Type.String({ description: "The key's id, or the person's `sub` at the issuer" }),
  issuer: Type.Optional(Type.String({ description: "A person's identity provider (`iss`)" })),
  name: Type.Optional(Type.String({ description: "The key's name or the person's name" })),
  role: Type.Enum(['admin', 'partner', 'reporting']),
  partnerCode: Type.Union([Type.String(), Type.Null()], {
    description: 'The partner a partner caller acts for; null for admin and reporting',
  }),
});

/** Who the caller is, as every permission and the audit log see it (docs/people.md). */
export const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/me',
    {
      config: { allow: ['admin', 'partner', 'reporting'] },
      schema: {
        operationId: 'getMe',
        tags: ['people'],
        summary: 'Who the caller is: its kind, role and partner',
        description:
          'The API key or the person (an access token of the configured identity provider) ' +
          'that sends the request, with the role and partner every permission applies.',
        response: { 200: MeSchema },
      },
    },
    async (request) => {
      const { kind, id, subject, issuer, name, role, partnerCode } = request.principal;
      return { kind, id, subject, issuer, name, role, partnerCode };
    },
  );
};
