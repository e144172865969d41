import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { readSnapshot } from '../../db/snapshot.js';
import { chosenLanguage } from '../../http/language.js';
import { Admission, clientGoneSignal } from '../../http/plugins/admission.js';
import { forbidden, notFound } from '../../http/problem.js';
import { ref } from '../../http/schemas/components.js';
import { partnerCodes } from '../members/access.js';
import { kpiChartSvg } from './chart.js';
import { reportCsv } from './csv.js';
import { iatiXml } from './iati.js';
import { buildReport } from './report.js';
import { type ReportQuery, reportRequest } from './request.js';
import { ChartParams, ChartQuerySchema, ReportQuerySchema, ReportSchema } from './schemas.js';
import { reportXlsx } from './xlsx.js';

const tags = ['reports'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Reports are aggregates: no personal data, so reporting keys read them too. */
const allow: ('admin' | 'partner' | 'reporting')[] = ['admin', 'partner', 'reporting'];

/** A response that is a document of another type than JSON, for the contract. */
const documentResponse = (type: string, description: string, format?: 'binary') => ({
  200: {
    description,
    content: { [type]: { schema: { type: 'string', ...(format && { format }) } } },
  },
});

/** A file name made of the query's period, safe in a header. */
const fileName = (period: string, extension: string) =>
  `kpis-${period.replace(/[^0-9A-Za-z-]/g, '_')}.${extension}`;

async function knownCodes(db: Db) {
  const kpis = await db.selectFrom('kpis').select('code').execute();
  return { kpis: new Set(kpis.map((k) => k.code)), partners: await partnerCodes(db) };
}

/** `live=true` recomputes locked periods: a programme-team tool (admin). */
function liveOf(request: FastifyRequest, live: boolean | undefined) {
  if (live && request.principal.role !== 'admin')
    throw forbidden('live=true (figures recomputed beside the frozen ones) is for admin keys.');
  return live === true;
}

/** The report a request asks for, within what its key may see (inside inReportSnapshot). */
async function reportFor(
  app: FastifyInstance,
  db: Db,
  request: FastifyRequest,
  query: ReportQuery & { live?: boolean | undefined },
) {
  const checked = reportRequest(query, request.principal, await knownCodes(db));
  return buildReport(db, checked, {
    programmeStart: app.config.programmeStart,
    live: liveOf(request, query.live),
  });
}

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { concurrency, queueLength, queueWaitMs } = app.config.reports;
  const admission = new Admission(concurrency, queueLength, queueWaitMs);
  /**
   * A report's reads: admitted under REPORT_CONCURRENCY, then on one read-only snapshot (one
   * connection), so that every figure of the response comes from the same moment.
   */
  const inReportSnapshot = <T>(reply: FastifyReply, read: (db: Db) => Promise<T>) =>
    admission.run(() => readSnapshot(app.db, read), clientGoneSignal(reply));

  app.get(
    '/v1/reports/kpis',
    {
      config: { allow },
      schema: {
        operationId: 'reportKpis',
        tags,
        summary: 'KPI report: baseline, target, actual and achievement per KPI, period and group',
        description:
          'Computed KPIs are evaluated as of each period’s last day from the registry, ' +
          'assessments and activities (docs/kpis.md); reported KPIs are summed across partners ' +
          '(percentages: Σ numerators / Σ denominators × 100). A partner key sees its own ' +
          'partner’s figures only (another `partner` → 403).',
        querystring: ReportQuerySchema,
        response: { 200: ref(ReportSchema) },
      },
    },
    async (request, reply) =>
      inReportSnapshot(reply, (db) => reportFor(app, db, request, request.query)),
  );

  app.get(
    '/v1/reports/kpis.csv',
    {
      config: { allow },
      schema: {
        operationId: 'reportKpisCsv',
        tags,
        summary: 'The KPI report as CSV (Excel-ready)',
        description:
          'Same query and rows as GET /v1/reports/kpis: one line per KPI × period × ' +
          'disaggregation, with the KPI code and French name, a column per dimension asked ' +
          'for, unit, baseline, target, actual and achievement, then the English and Arabic ' +
          'names (`name_en`, `name_ar`: last, so that earlier columns keep their places; ' +
          '`name_ar` empty where a KPI has no Arabic name). RFC 4180 (comma, CRLF), UTF-8 ' +
          'with a byte-order mark so that Excel shows accents and Arabic right.',
        querystring: ReportQuerySchema,
        response: documentResponse('text/csv', 'The report, one line per row'),
      },
    },
    async (request, reply) => {
      const report = await inReportSnapshot(reply, (db) =>
        reportFor(app, db, request, request.query),
      );
      return reply
        .type('text/csv; charset=utf-8; header=present')
        .header(
          'content-disposition',
          `attachment; filename="${fileName(request.query.period, 'csv')}"`,
        )
        .send(reportCsv(report));
    },
  );

  app.get(
    '/v1/reports/kpis.xlsx',
    {
      config: { allow },
      schema: {
        operationId: 'reportKpisXlsx',
        tags,
        summary: 'The KPI report as an Excel workbook',
        description:
          'Same query and rows as the CSV. Sheet `report`: a header row, then one row per KPI × ' +
          'period × disaggregation with numbers as numeric cells; sheet `definitions`: each ' +
          'KPI of the report with its names and description (what is counted) in French and ' +
          'English, measure, unit, cumulation, dimensions, baseline, end target, then the ' +
          'Arabic name and description (`name_ar`, `description_ar`; empty where none).',
        querystring: ReportQuerySchema,
        response: documentResponse(XLSX_TYPE, 'An Office Open XML workbook', 'binary'),
      },
    },
    async (request, reply) => {
      const report = await inReportSnapshot(reply, (db) =>
        reportFor(app, db, request, request.query),
      );
      return reply
        .type(XLSX_TYPE)
        .header(
          'content-disposition',
          `attachment; filename="${fileName(request.query.period, 'xlsx')}"`,
        )
        .send(await reportXlsx(report));
    },
  );

  app.get(
    '/v1/reports/iati.xml',
    {
      config: { allow },
      schema: {
        operationId: 'reportIati',
        tags,
        summary: 'The programme and its KPI results as IATI 2.03 XML',
        description:
          'One `iati-activity` for the programme (identifier, publisher and title from the ' +
          '`IATI_*` settings) with one `result` per KPI: its `indicator` (measure 1 unit, 2 ' +
          'percentage, 5 qualitative), `baseline`, a `period` per report period with `target`s ' +
          'and `actual`s (breakdowns as `dimension`s) and the end-of-programme target as a ' +
          'period of its own. Titles and descriptions are narratives in English (the ' +
          'default), French (`xml:lang="fr"`) and Arabic (`xml:lang="ar"`, where the KPI has ' +
          'an Arabic text). Same query as GET /v1/reports/kpis.',
        querystring: ReportQuerySchema,
        response: documentResponse('application/xml', 'IATI activity XML, version 2.03'),
      },
    },
    async (request, reply) => {
      const { report, partners } = await inReportSnapshot(reply, async (db) => ({
        report: await reportFor(app, db, request, request.query),
        partners: await db
          .selectFrom('partners')
          .select(['code', 'name'])
          .orderBy('code')
          .execute(),
      }));
      const xml = iatiXml(
        report,
        partners.filter((p) => report.partner === null || p.code === report.partner),
        { ...app.config.iati, programmeStart: app.config.programmeStart },
        new Date(),
      );
      return reply.type('application/xml; charset=utf-8').send(xml);
    },
  );

  app.get(
    '/v1/reports/kpis/:code/chart.svg',
    {
      config: { allow },
      schema: {
        operationId: 'reportKpiChart',
        tags,
        summary: 'Target against actual per period, as an SVG bar chart',
        description:
          'The total row of each period (or the partner’s figure with `partner`) as grouped ' +
          'bars, labelled with the values, ready to paste into a report. Title, legend and axis ' +
          'in the language of `lang` or `Accept-Language` (default French; a KPI without an ' +
          'Arabic name shows its French one); the subtitle repeats the name in a second ' +
          'language (English under a French title, else French). Arabic texts are right to ' +
          'left (`direction="rtl"`, `xml:lang="ar"`).',
        params: ChartParams,
        querystring: ChartQuerySchema,
        response: documentResponse('image/svg+xml', 'An SVG image'),
      },
    },
    async (request, reply) => {
      const { code } = request.params;
      const { lang, ...query } = request.query;
      const report = await inReportSnapshot(reply, async (db) => {
        const known = await knownCodes(db);
        if (!known.kpis.has(code)) throw notFound(`There is no KPI ${code}.`);
        const checked = reportRequest({ ...query, kpi: code }, request.principal, known);
        return buildReport(
          db,
          { ...checked, by: [] },
          {
            programmeStart: app.config.programmeStart,
            live: false,
          },
        );
      });
      const kpi = report.kpis[0];
      if (!kpi) throw notFound(`There is no KPI ${code}.`);
      return reply
        .type('image/svg+xml; charset=utf-8')
        .send(kpiChartSvg(kpi, report.rows, report.partner, chosenLanguage(request, reply, lang)));
    },
  );
};
