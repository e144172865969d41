import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { created } from '../../http/created.js';
import { expectedVersion, IfMatchRequired, setVersionTag } from '../../http/etag.js';
import { partnerScope } from '../../http/plugins/auth.js';
import { notFound } from '../../http/problem.js';
import { ref } from '../../http/schemas/components.js';
import {
  decodeSingleKeyCursor,
  PageQuery,
  PageSchema,
  toPage,
} from '../../http/schemas/pagination.js';
import { createKpi, replaceKpi, replaceKpiTargets } from './commands.js';
import { findKpi, listKpis } from './repository.js';
import {
  KpiListQuery,
  KpiParams,
  KpiSchema,
  KpiUpdateSchema,
  NewKpiSchema,
  TargetSetSchema,
  TargetsBodySchema,
} from './schemas.js';
import { listTargets } from './targets.js';

const READERS = ['admin', 'partner', 'reporting'] as const;

const KpiPage = PageSchema(ref(KpiSchema));

export const kpiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/kpis',
    {
      config: { allow: [...READERS] },
      schema: {
        operationId: 'listKpis',
        tags: ['kpis'],
        summary: 'List KPI definitions',
        querystring: Type.Object(
          { ...PageQuery, ...KpiListQuery.properties },
          { additionalProperties: false },
        ),
        response: { 200: KpiPage },
      },
    },
    async (request) => {
      const { limit, cursor, source, resultLevel } = request.query;
      const after = decodeSingleKeyCursor(cursor);
      const rows = await listKpis(app.db, { source, resultLevel }, limit, after);
      return toPage(rows, limit, (k) => [k.code]);
    },
  );

  app.get(
    '/v1/kpis/:code',
    {
      config: { allow: [...READERS] },
      schema: {
        operationId: 'getKpi',
        tags: ['kpis'],
        summary: 'Get one KPI definition',
        params: KpiParams,
        response: { 200: ref(KpiSchema) },
      },
    },
    async (request, reply) => {
      const kpi = await findKpi(app.db, request.params.code);
      if (!kpi) throw notFound(`There is no KPI ${request.params.code}.`);
      setVersionTag(reply, kpi.version);
      const { targetsVersion: _, ...definition } = kpi;
      return definition;
    },
  );

  app.post(
    '/v1/kpis',
    {
      config: { allow: ['admin'] },
      schema: {
        operationId: 'createKpi',
        tags: ['kpis'],
        summary: 'Define a new (reported) KPI',
        description:
          'New KPIs are reported by partners: `source: computed` is refused (400), computed KPIs being the ones built into the service. 409 when the code exists.',
        body: ref(NewKpiSchema),
        response: { 201: ref(KpiSchema) },
      },
    },
    async (request, reply) => {
      const kpi = await app.db
        .transaction()
        .execute((trx) => createKpi(trx, request.principal, request.body));
      setVersionTag(reply, kpi.version);
      return created(reply, `/v1/kpis/${kpi.code}`).send(kpi);
    },
  );

  app.put(
    '/v1/kpis/:code',
    {
      config: { allow: ['admin'] },
      schema: {
        operationId: 'updateKpi',
        tags: ['kpis'],
        summary: 'Replace a KPI definition (If-Match)',
        description:
          'The body is the whole definition (absent optional fields are cleared). On a built-in computed KPI, `source`, `measure`, `cumulation` and `dimensions` are fixed: changing one is a 409 `computed-kpi-fixed` listing each, because the service computes that KPI from its records. `measure` cannot change once values were reported (409).',
        params: KpiParams,
        headers: IfMatchRequired,
        body: ref(KpiUpdateSchema),
        response: { 200: ref(KpiSchema) },
      },
    },
    async (request, reply) => {
      const expected = expectedVersion(request);
      const kpi = await app.db
        .transaction()
        .execute((trx) =>
          replaceKpi(trx, request.principal, request.params.code, request.body, expected),
        );
      setVersionTag(reply, kpi.version);
      return kpi;
    },
  );

  app.get(
    '/v1/kpis/:code/targets',
    {
      config: { allow: [...READERS] },
      schema: {
        operationId: 'listKpiTargets',
        tags: ['kpis'],
        summary: "Get a KPI's target set",
        description:
          'The whole set in one answer (never paged), with its version as ETag. A partner key sees the totals, the breakdowns without a partner and its own partner’s targets. The end-of-programme target is `endTarget` of the definition.',
        params: KpiParams,
        response: { 200: ref(TargetSetSchema) },
      },
    },
    async (request, reply) => {
      const kpi = await findKpi(app.db, request.params.code);
      if (!kpi) throw notFound(`There is no KPI ${request.params.code}.`);
      const data = await listTargets(app.db, kpi.code, partnerScope(request));
      setVersionTag(reply, kpi.targetsVersion);
      return { kpi: kpi.code, version: kpi.targetsVersion, data, nextCursor: null };
    },
  );

  app.put(
    '/v1/kpis/:code/targets',
    {
      config: { allow: ['admin'] },
      schema: {
        operationId: 'replaceKpiTargets',
        tags: ['kpis'],
        summary: "Replace a KPI's target set (If-Match)",
        description:
          'The body is the whole target set: targets not in it are removed (send `[]` to clear). Each `disaggregation` may use only the KPI’s dimensions (400 naming each bad one); one target per period and disaggregation. If-Match takes the ETag of GET …/targets. The end-of-programme target is not here: it is `endTarget` of the definition.',
        params: KpiParams,
        headers: IfMatchRequired,
        body: TargetsBodySchema,
        response: { 200: ref(TargetSetSchema) },
      },
    },
    async (request, reply) => {
      const expected = expectedVersion(request);
      const result = await app.db
        .transaction()
        .execute((trx) =>
          replaceKpiTargets(trx, request.principal, request.params.code, request.body, expected),
        );
      setVersionTag(reply, result.version);
      return result;
    },
  );
};
