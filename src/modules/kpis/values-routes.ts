import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { partnerScope } from '../../http/plugins/auth.js';
import { notFound } from '../../http/problem.js';
import { ref } from '../../http/schemas/components.js';
import { ImportResponses } from '../../http/schemas/import-summary.js';
import { decodeSingleKeyCursor, PageSchema, toPage } from '../../http/schemas/pagination.js';
import { periodParameter } from '../periods/schemas.js';
import { importValues } from './commands.js';
import { KPI_LIMITS, KpiValueSchema, ValueImportSchema, ValueListQuery } from './schemas.js';
import { findValue, listValues, toValueResource } from './values-repository.js';

/** A full import of long comments is larger than the default 1 MiB. */
const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;

const IMPORT_DESCRIPTION = [
  `Up to ${KPI_LIMITS.importRows} rows, body up to 8 MiB. The shape of the body is checked first (a malformed body is one 400 listing every problem);`,
  'then each row is checked and written on its own: a failed row does not stop the others. Any row applied (or `dryRun`) → 200 with the summary; no row applied → the summary as a problem document with `results`: 409 when every row failed for a locked period, else 422.',
  'A row is identified by (kpi, period, partner, disaggregation) and is the whole value: the same row again is `unchanged`, a different value, parts, comment or evidenceUrl is `updated`.',
  'Rows fail for: an unknown or computed KPI; a malformed period; a dimension the KPI does not allow (each named); `partner` in the disaggregation (it is `partnerCode`);',
  'not exactly one of `value` and `numerator` + `denominator` (fractions for percentages only; denominator > 0; numerator ≤ denominator; percentages 0–100);',
  'a partner key naming another partner ("not your partner"; a partner key’s own partner is implied); an admin row without partnerCode;',
  'a period that overlaps a locked period for all partners or for the row’s partner (the reason names the locked period); a repeat of an earlier row of the same request.',
  'With `dryRun` every row is checked and classified but nothing is written (created rows have no id yet). Every write is audited.',
].join(' ');

const KpiValuePage = PageSchema(ref(KpiValueSchema));

export const kpiValueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/kpi-values',
    {
      config: { allow: ['admin', 'partner'] },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        operationId: 'importKpiValues',
        tags: ['kpis'],
        summary: 'Report KPI values in bulk',
        description: IMPORT_DESCRIPTION,
        body: ValueImportSchema,
        response: ImportResponses,
      },
    },
    async (request) => {
      const { values, dryRun = false } = request.body;
      return app.db
        .transaction()
        .execute((trx) => importValues(trx, values, request.principal, dryRun));
    },
  );

  app.get(
    '/v1/kpi-values',
    {
      // Raw values carry partners' comments and evidence: reporting keys read aggregates
      // (reports and exports) only.
      config: { allow: ['admin', 'partner'] },
      schema: {
        operationId: 'listKpiValues',
        tags: ['kpis'],
        summary: 'List reported KPI values',
        description:
          '`period` gives the values whose period lies within it (`2025` also gives `2025Q1` and `2025-03`). A partner key sees its own partner’s values only; a reporting key none (403): it reads the aggregates of the reports.',
        querystring: ValueListQuery,
        response: { 200: KpiValuePage },
      },
    },
    async (request) => {
      const { limit, cursor, kpi, period, partner } = request.query;
      const scope = partnerScope(request);
      if (scope !== null && partner !== undefined && partner !== scope) {
        return { data: [], nextCursor: null };
      }
      const after = decodeSingleKeyCursor(cursor);
      const rows = await listValues(
        app.db,
        {
          kpi,
          within: period === undefined ? undefined : periodParameter(period, 'period'),
          partnerCode: scope ?? partner,
        },
        limit,
        after,
      );
      const page = toPage(rows, limit, (v) => [v.id]);
      return { data: page.data.map(toValueResource), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/kpi-values/:id',
    {
      config: { allow: ['admin', 'partner'] },
      schema: {
        operationId: 'getKpiValue',
        tags: ['kpis'],
        summary: 'Get one reported KPI value',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: ref(KpiValueSchema) },
      },
    },
    async (request) => {
      const value = await findValue(app.db, request.params.id);
      const scope = partnerScope(request);
      if (!value || (scope !== null && value.partnerCode !== scope)) {
        throw notFound(`There is no KPI value ${request.params.id}.`);
      }
      return toValueResource(value);
    },
  );
};
