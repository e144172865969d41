import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { created as createdAt } from '../../http/created.js';
import { forgetApiKey } from '../../http/plugins/auth.js';
import {
  decodeSingleKeyCursor,
  PageQuery,
  PageSchema,
  toPage,
} from '../../http/schemas/pagination.js';
import { issueApiKey, revokeKey } from './commands.js';
import { listApiKeys } from './repository.js';
import { ApiKey, CreatedApiKey, NewApiKey } from './schemas.js';

const ApiKeyPage = PageSchema(ApiKey);

export const apiKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/api-keys',
    {
      config: { allow: ['admin'] },
      schema: {
        operationId: 'createApiKey',
        tags: ['api-keys'],
        summary: 'Issue an API key (the key is in this response only)',
        body: NewApiKey,
        response: { 201: CreatedApiKey },
      },
    },
    async (request, reply) => {
      const created = await app.db
        .transaction()
        .execute((trx) => issueApiKey(trx, request.principal, request.body));
      return createdAt(reply, `/v1/api-keys/${created.id}`).send(created);
    },
  );

  app.get(
    '/v1/api-keys',
    {
      config: { allow: ['admin'] },
      schema: {
        operationId: 'listApiKeys',
        tags: ['api-keys'],
        summary: 'List API keys (never the keys themselves)',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: ApiKeyPage },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = decodeSingleKeyCursor(cursor);
      const rows = await listApiKeys(app.db, limit, after);
      return toPage(rows, limit, (k) => [k.id]);
    },
  );

  app.delete(
    '/v1/api-keys/:id',
    {
      config: { allow: ['admin'] },
      schema: {
        operationId: 'revokeApiKey',
        tags: ['api-keys'],
        summary: 'Revoke an API key',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: ApiKey },
      },
    },
    async (request) => {
      const revoked = await app.db
        .transaction()
        .execute((trx) => revokeKey(trx, request.principal, request.params.id));
      forgetApiKey(app, revoked.id);
      return revoked;
    },
  );
};
