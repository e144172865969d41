import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { forgetApiKey } from '../../http/auth.js';
import { created as createdAt } from '../../http/created.js';
import { decodeSingleKeyCursor, PageQuery, PageSchema, toPage } from '../../http/pagination.js';
import { assertNoErrors, notFound } from '../../http/problem.js';
import { diffChanges, recordAuditEvent } from '../audit/repository.js';
import { findPartner } from '../partners/repository.js';
import { createApiKey, listApiKeys, revokeApiKey } from './repository.js';
import { ApiKey, CreatedApiKey, NewApiKey } from './schemas.js';

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
      const { name, role, partnerCode } = request.body;
      const errors = [];
      if (role === 'partner' && partnerCode === undefined) {
        errors.push({ pointer: '/partnerCode', message: 'is required for a partner key' });
      }
      if (role !== 'partner' && partnerCode !== undefined) {
        errors.push({ pointer: '/partnerCode', message: 'is only for partner keys' });
      }
      if (partnerCode !== undefined && !(await findPartner(app.db, partnerCode))) {
        errors.push({ pointer: '/partnerCode', message: `names no partner (${partnerCode})` });
      }
      assertNoErrors(errors);
      const created = await app.db.transaction().execute(async (trx) => {
        const key = await createApiKey(trx, {
          name,
          role,
          partnerCode: partnerCode ?? null,
          createdBy: request.principal.id,
        });
        // Never the key nor its hash: the audit log is readable by every admin.
        await recordAuditEvent(trx, {
          actor: request.principal,
          entity: 'apiKey',
          entityId: key.id,
          action: 'created',
          partnerCode: key.partnerCode,
          changes: diffChanges({}, key, ['name', 'role', 'partnerCode', 'keyPrefix']),
        });
        return key;
      });
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
        response: { 200: PageSchema(ApiKey) },
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
      const revoked = await app.db.transaction().execute(async (trx) => {
        const result = await revokeApiKey(trx, request.params.id);
        if (result?.revokedNow) {
          await recordAuditEvent(trx, {
            actor: request.principal,
            entity: 'apiKey',
            entityId: result.key.id,
            action: 'revoked',
            partnerCode: result.key.partnerCode,
            changes: { revokedAt: { from: null, to: result.key.revokedAt } },
          });
        }
        return result?.key;
      });
      if (!revoked) throw notFound(`There is no API key ${request.params.id}.`);
      forgetApiKey(app, revoked.id);
      return revoked;
    },
  );
};
