import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { created } from '../../http/created.js';
import { partnerScope } from '../../http/plugins/auth.js';
import { ref } from '../../http/schemas/components.js';
import { decodeCursor, PageQuery, PageSchema, toPage } from '../../http/schemas/pagination.js';
import { closePeriod, reopenPeriod } from './commands.js';
import { listLocks, type PeriodLock } from './locks.js';
import { PeriodLockSchema, PeriodParam, periodParameter } from './schemas.js';

const PartnerCodeText = Type.String({ maxLength: 40, description: 'A partner code, e.g. FENIP' });

function toLockResource(lock: PeriodLock) {
  return {
    id: lock.id,
    period: lock.period,
    start: lock.periodStart,
    end: lock.periodEnd,
    partnerCode: lock.partnerCode,
    createdBy: lock.createdBy,
    createdAt: lock.createdAt,
    frozenAt: lock.frozenAt,
  };
}

const LOCK_RULE =
  'A write of a value is refused (409 `period-locked`) when its period overlaps a locked ' +
  'period for all partners or for its partner: a lock on `2025` blocks `2025Q2` and `2025-03`; ' +
  'a lock on `2025Q1` blocks `2025-02` and also `2025`.';

const PeriodLockPage = PageSchema(ref(PeriodLockSchema));

export const periodRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/periods/:period/lock',
    {
      config: { allow: ['admin'] },
      // The body is optional: no body locks the period for every partner.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        operationId: 'lockPeriod',
        tags: ['periods'],
        summary: 'Lock a reporting period, for one partner or all',
        description: `${LOCK_RULE} 201 when the lock is new, 200 with the existing lock when the period was locked already.`,
        params: Type.Object({ period: PeriodParam }),
        body: Type.Object(
          {
            partnerCode: Type.Optional(
              Type.String({
                ...PartnerCodeText,
                description: 'Lock for this partner only; absent: all',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: ref(PeriodLockSchema), 201: ref(PeriodLockSchema) },
      },
    },
    async (request, reply) => {
      const period = periodParameter(request.params.period, 'period');
      const partnerCode = request.body.partnerCode ?? null;
      // Repeatable read: the figures frozen for the lock all come from one snapshot.
      const result = await app.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute((trx) =>
          closePeriod(trx, request.principal, period, partnerCode, app.config.programmeStart),
        );
      // The lock's own address: the path DELETE takes, with the partner it binds.
      const partnerQuery =
        partnerCode === null ? '' : `?partner=${encodeURIComponent(partnerCode)}`;
      if (result.created) created(reply, `/v1/periods/${result.lock.period}/lock${partnerQuery}`);
      return reply.send(toLockResource(result.lock));
    },
  );

  app.delete(
    '/v1/periods/:period/lock',
    {
      config: { allow: ['admin'] },
      schema: {
        operationId: 'unlockPeriod',
        tags: ['periods'],
        summary: 'Reopen a locked period',
        description:
          'Removes the lock of the period for `partner` (absent: the lock for all partners) and answers the removed lock; 404 when there is no such lock. Other locks (of other partners, or of enclosing periods) stay.',
        params: Type.Object({ period: PeriodParam }),
        querystring: Type.Object(
          { partner: Type.Optional(PartnerCodeText) },
          { additionalProperties: false },
        ),
        response: { 200: ref(PeriodLockSchema) },
      },
    },
    async (request) => {
      const period = periodParameter(request.params.period, 'period');
      const partnerCode = request.query.partner ?? null;
      const removed = await app.db
        .transaction()
        .execute((trx) => reopenPeriod(trx, request.principal, period, partnerCode));
      return toLockResource(removed);
    },
  );

  app.get(
    '/v1/periods/locks',
    {
      config: { allow: ['admin', 'partner', 'reporting'] },
      schema: {
        operationId: 'listPeriodLocks',
        tags: ['periods'],
        summary: 'List period locks',
        description: `${LOCK_RULE} With \`partner\` (always, for a partner key: its own), the locks that bind that partner: its own and those for all partners.`,
        querystring: Type.Object(
          { ...PageQuery, partner: Type.Optional(PartnerCodeText) },
          { additionalProperties: false },
        ),
        response: { 200: PeriodLockPage },
      },
    },
    async (request) => {
      const { limit, cursor, partner } = request.query;
      const after = decodeCursor(cursor, 2)?.map(String) as [string, string] | undefined;
      const rows = await listLocks(app.db, partnerScope(request) ?? partner ?? null, limit, after);
      const page = toPage(rows, limit, (lock) => [lock.periodStart, lock.id]);
      return { data: page.data.map(toLockResource), nextCursor: page.nextCursor };
    },
  );
};
