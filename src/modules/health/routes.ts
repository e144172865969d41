import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HttpProblem } from '../../http/problem.js';

const HealthSchema = Type.Object({
  status: Type.String({ examples: ['ok'] }),
  database: Type.Optional(Type.Union([Type.Literal('postgres'), Type.Literal('embedded')])),
});

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health/live',
    {
      schema: {
        operationId: 'getLiveness',
        tags: ['health'],
        security: [],
        summary: 'The process is up',
        response: { 200: HealthSchema },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        operationId: 'getReadiness',
        tags: ['health'],
        security: [],
        summary: 'The service can serve requests: its database answers',
        response: { 200: HealthSchema },
      },
    },
    async () => {
      try {
        await app.database.ping();
      } catch {
        throw new HttpProblem({
          type: 'database-unavailable',
          detail: 'The database is not answering.',
          headers: { 'retry-after': '5' },
        });
      }
      return { status: 'ready', database: app.database.mode };
    },
  );
};
