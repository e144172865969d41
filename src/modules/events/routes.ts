import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { badRequest, HttpProblem } from '../../http/problem.js';
import { decodeCursor, encodeCursor } from '../../http/schemas/pagination.js';
import {
  FEED_START,
  type FeedFilter,
  type FeedPosition,
  listEvents,
  purgedSince,
} from './repository.js';
import { toEvent } from './representation.js';
import { EventPageSchema, EventsQuerySchema } from './schemas.js';
import { EVENT_TYPES } from './types.js';

const DIGITS = /^\d{1,20}$/;

function parseAfter(after: string | undefined): FeedPosition {
  const key = decodeCursor(after, 2)?.map(String);
  if (key === undefined) return FEED_START;
  const [txId = '', position = ''] = key;
  if (!DIGITS.test(txId) || !DIGITS.test(position)) {
    throw badRequest('The cursor is not one this service issued.', [
      { parameter: 'after', message: 'is malformed' },
    ]);
  }
  return { txId, position };
}

function parseTypes(types: string | undefined): string[] | undefined {
  if (types === undefined) return undefined;
  const names = types.split(',').map((t) => t.trim());
  const unknown = names.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0) {
    throw badRequest('Unknown event types.', [
      { parameter: 'types', message: `names unknown types: ${unknown.join(', ')}` },
    ]);
  }
  return names;
}

export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/events',
    {
      config: { allow: ['admin', 'partner', 'reporting'] },
      schema: {
        operationId: 'listEvents',
        tags: ['events'],
        summary: 'Follow the change feed',
        description:
          'What jahiz wrote or decided, oldest first, for the caller to mirror: store `nextCursor` and poll again with `after=`. No event is ever skipped, however writes commit. Admin keys see every event; partner keys their own partner’s, `grid.published` and the period events for all partners; reporting keys `grid.published`, `period.*` and `kpi-value.recorded`. A cursor behind events that retention (`EVENTS_RETENTION_DAYS`) has deleted and the caller would have seen → 410 `cursor-expired`: read the resources again, then follow the feed without `after`. See docs/events-and-webhooks.md.',
        querystring: EventsQuerySchema,
        response: { 200: EventPageSchema },
      },
    },
    async (request) => {
      const { limit } = request.query;
      const from = parseAfter(request.query.after);
      const filter: FeedFilter = {
        viewer: request.principal,
        types: parseTypes(request.query.types),
      };
      if (request.query.after !== undefined && (await purgedSince(app.db, filter, from))) {
        throw new HttpProblem({
          type: 'cursor-expired',
          detail: `Events after this cursor were deleted (kept ${app.config.eventsRetentionDays} days). Read the resources again, then follow the feed from its start (no after).`,
        });
      }
      const rows = await listEvents(app.db, filter, from, limit + 1);
      const data = rows.slice(0, limit);
      const last = data.at(-1);
      const nextCursor = last
        ? encodeCursor([last.txId, last.position])
        : (request.query.after ?? encodeCursor([FEED_START.txId, FEED_START.position]));
      return { data: data.map(toEvent), nextCursor, hasMore: rows.length > limit };
    },
  );
};
