import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { chosenLanguage, LangQuery } from '../../http/language.js';
import { ref } from '../../http/schemas/components.js';
import { ImportResponses } from '../../http/schemas/import-summary.js';
import { loadGrid } from '../grids/repository.js';
import { GridParams } from '../grids/schemas.js';
import { importSubmissions } from './import.js';
import { IMPORT_BODY_LIMIT, MAX_SUBMISSIONS, SubmissionsImportSchema } from './schemas.js';
import { xlsFormWorkbook } from './workbook.js';
import { gridXlsForm } from './xlsform.js';

const IMPORT_DESCRIPTION = [
  `Up to ${MAX_SUBMISSIONS} Kobo or ODK Central submission records of the grid’s XLSForm (GET /v1/grids/{id}/xlsform), body up to 8 MiB; the grid must be published (else 409).`,
  'Each record becomes a submitted assessment, scored exactly as `POST /v1/assessments` with `submit: true` (and `POST /v1/grids/{id}/evaluate` for the member’s type and products) scores the same answers.',
  'Fields are found by their names whatever group path carries them (Kobo `group/name` keys, Central nested objects); fields of other forms and the tools’ own metadata are ignored. A blank answer is unanswered, never 0.',
  '`member_ref` is the member’s id, ICE or externalRef, among the members the key sees (another partner’s member is “not found”); a `member_type` that differs from the member’s type fails the row.',
  '`assessedOn` is the form’s `assessed_on`, else the day (UTC) of `_submission_time` (Kobo) or `__system.submissionDate` (Central). The assessor is `assessor_name`, else the submitter.',
  'The submission id — Kobo `meta/rootUuid`, else `_uuid`; Central `__id` — is stored with the assessment (`submissionId`): the same submission again is `unchanged`; an edited one whose answers, date or member differ fails with the reason (a submitted assessment never changes).',
  'Rows are independent; each failed row lists its problems with pointers into the body (`/submissions/{i}/…`). With `dryRun` nothing is written.',
  'When no row is applied (not a dry run) the summary comes as a problem: 409 when every failure is a conflict with what is stored (an edited submission, an inactive member), else 422.',
].join(' ');

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const fieldRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/grids/:id/xlsform',
    {
      config: { allow: ['admin', 'partner', 'reporting'] },
      schema: {
        operationId: 'getGridXlsForm',
        tags: ['field collection'],
        summary: 'The grid as an XLSForm, to collect assessments offline with KoboToolbox or ODK',
        description: [
          'An `.xlsx` workbook with the sheets `survey`, `choices` and `settings`, to upload to KoboToolbox or ODK Central (docs/field-collection.md).',
          'Labels and hints in French (the default), English and Arabic (`label::العربية (ar)`; a text without Arabic shows its French).',
          'A first group asks `member_ref` (the member’s externalRef, ICE or id), `member_type`, the products’ HS chapters when a criterion depends on them, the date and the assessor;',
          'then one group per dimension (`d_` + its code) and one question per criterion, named `c_` + its code in lower case with every run of other characters than a-z0-9 as `_` (a name taken already gets `_2`, `_3`… in grid order).',
          'Boolean, scale and choice criteria are `select_one` questions (lists `l_yes_no`, `l_scale_<L>`, `l_c_<name>`; a `_na` list adds the not-applicable choice where allowed);',
          'number criteria are `decimal` questions, preceded by a `na_…` question where N/A is allowed. `appliesTo` becomes `relevant`; knock-out criteria are `required`.',
          '`settings.form_id` is `jahiz_<grid code>`, `settings.version` the grid version; the form opens in the language of `lang` or `Accept-Language` (default French), which also gives `form_title`. Any status: a draft can be tried in the field before it is published.',
        ].join(' '),
        params: GridParams,
        querystring: Type.Object({ lang: LangQuery }, { additionalProperties: false }),
        response: {
          200: {
            description: 'The XLSForm workbook',
            content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } },
          },
        },
      },
    },
    async (request, reply) => {
      const row = await loadGrid(app.db, request.params.id);
      const language = chosenLanguage(request, reply, request.query.lang);
      const workbook = await xlsFormWorkbook(
        gridXlsForm({ ...row.definition, version: row.version }, language),
      );
      const file = `jahiz_${row.code.replace(/[^A-Za-z0-9_-]/g, '_')}_v${row.version}.xlsx`;
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(workbook as unknown as string); // a binary string in the contract
    },
  );

  app.post(
    '/v1/assessments/import',
    {
      config: { allow: ['admin', 'partner'] },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        operationId: 'importAssessments',
        tags: ['field collection'],
        summary: 'Import Kobo or ODK Central submissions as scored assessments',
        description: IMPORT_DESCRIPTION,
        body: ref(SubmissionsImportSchema),
        response: ImportResponses,
      },
    },
    async (request) =>
      app.db
        .transaction()
        .execute((trx) => importSubmissions(trx, request.principal, request.body)),
  );
};
