import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { created } from '../../http/created.js';
import { expectedVersion, IfMatchRequired, setVersionTag } from '../../http/etag.js';
import { partnerScope } from '../../http/plugins/auth.js';
import { rethrowNonBodyErrors } from '../../http/plugins/validation.js';
import { ref } from '../../http/schemas/components.js';
import { listOrder, PageSchema, toOrderedPage } from '../../http/schemas/pagination.js';
import { createActivity, getActivity, patchActivity, toActivity } from './commands.js';
import { listActivities, participantsOf } from './repository.js';
import {
  ActivityListQuery,
  ActivityParams,
  ActivityPatchSchema,
  ActivitySchema,
  NewActivitySchema,
} from './schemas.js';

const tags = ['activities'];
/**
 * Activities name the members that took part; reporting keys read aggregates (reports) only,
 * never these routes.
 */
const allow: ('admin' | 'partner')[] = ['admin', 'partner'];

const ActivityPage = PageSchema(ref(ActivitySchema));

export const activityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/activities',
    {
      config: { allow },
      attachValidation: true,
      schema: {
        operationId: 'createActivity',
        tags,
        summary: 'Record an activity and its participants',
        description:
          'Admin keys must give `partnerCode`; a partner key records for its own partner ' +
          '(another → 403) and may list its own members only. A participant the key cannot ' +
          'see → 400 pointing at `/participants/{i}/memberId`. An activity starting in a ' +
          'period locked for its partner or a participant’s partner → 409 `period-locked`.',
        body: ref(NewActivitySchema),
        response: { 201: ref(ActivitySchema) },
      },
    },
    async (request, reply) => {
      rethrowNonBodyErrors(request);
      const stored = await app.db
        .transaction()
        .execute((trx) => createActivity(trx, request.principal, request.body));
      setVersionTag(reply, stored.row.version);
      return created(reply, `/v1/activities/${stored.row.id}`).send(toActivity(stored));
    },
  );

  app.get(
    '/v1/activities',
    {
      config: { allow },
      schema: {
        operationId: 'listActivities',
        tags,
        summary: 'List activities, filtered, in creation order',
        description:
          "A partner key lists its own partner's activities only. `from`/`to` select by start.",
        querystring: ActivityListQuery,
        response: { 200: ActivityPage },
      },
    },
    async (request) => {
      const order = listOrder(request.query);
      const rows = await listActivities(app.db, partnerScope(request), request.query, order);
      const page = toOrderedPage(rows, request.query.limit, order);
      const participants = await participantsOf(
        app.db,
        page.data.map((a) => a.id),
      );
      return {
        data: page.data.map((row) =>
          toActivity({ row, participants: participants.get(row.id) ?? [] }),
        ),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/v1/activities/:id',
    {
      config: { allow },
      schema: {
        operationId: 'getActivity',
        tags,
        summary: 'Get one activity',
        params: ActivityParams,
        response: { 200: ref(ActivitySchema) },
      },
    },
    async (request, reply) => {
      const stored = await getActivity(app.db, request.principal, request.params.id);
      setVersionTag(reply, stored.row.version);
      return toActivity(stored);
    },
  );

  app.patch(
    '/v1/activities/:id',
    {
      config: { allow },
      schema: {
        operationId: 'patchActivity',
        tags,
        summary: 'Change an activity (JSON merge patch, If-Match required)',
        description:
          'Body: `application/merge-patch+json` (or `application/json`). `participants`, when ' +
          'sent, replaces the whole list. `If-Match` is required: missing → 428, stale → 412. ' +
          '`partnerCode` cannot change.',
        params: ActivityParams,
        headers: IfMatchRequired,
        body: ref(ActivityPatchSchema),
        response: { 200: ref(ActivitySchema) },
      },
    },
    async (request, reply) => {
      const expected = expectedVersion(request);
      const stored = await app.db
        .transaction()
        .execute((trx) =>
          patchActivity(trx, request.principal, request.params.id, request.body, expected),
        );
      setVersionTag(reply, stored.row.version);
      return toActivity(stored);
    },
  );
};
