import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { badRequest } from '../../http/problem.js';
import { ref } from '../../http/schemas/components.js';
import { decodeSingleKeyCursor, PageSchema, toPage } from '../../http/schemas/pagination.js';
import { listAuditEvents, withActor } from './repository.js';
import { AuditEventSchema, AuditQuerySchema } from './schemas.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const AuditEventPage = PageSchema(ref(AuditEventSchema));

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/audit-events',
    {
      config: { allow: ['admin'] },
      schema: {
        operationId: 'listAuditEvents',
        tags: ['audit'],
        summary: 'List the audit log, newest first',
        description:
          'Every write, who made it and what it changed. Newest first; `nextCursor` leads to ' +
          'older events, so paging never skips or repeats one while new events arrive. ' +
          '`from` is inclusive, `to` exclusive.',
        querystring: AuditQuerySchema,
        response: { 200: AuditEventPage },
      },
    },
    async (request) => {
      const { limit, cursor, partner, actorKeyId, actor, ...filter } = request.query;
      if (actor !== undefined && actorKeyId !== undefined && actor !== actorKeyId) {
        throw badRequest('`actor` and its older name `actorKeyId` name different actors.', [
          { parameter: 'actorKeyId', message: 'must equal `actor` when both are given' },
        ]);
      }
      if (filter.from && filter.to && Date.parse(filter.from) > Date.parse(filter.to)) {
        throw badRequest('The time range is empty.', [
          { parameter: 'from', message: 'must not be after `to`' },
        ]);
      }
      const before = decodeSingleKeyCursor(cursor);
      if (before !== undefined && !UUID.test(before)) {
        throw badRequest('The cursor is not one this service issued.', [
          { parameter: 'cursor', message: 'is malformed' },
        ]);
      }
      const rows = await listAuditEvents(
        app.db,
        { ...filter, actor: actor ?? actorKeyId, partnerCode: partner },
        limit,
        before,
      );
      return toPage(rows.map(withActor), limit, (e) => [e.id]);
    },
  );
};
