import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { loadGrid } from '../grids/repository.js';
import { GridParams } from '../grids/schemas.js';
import { xlsFormWorkbook } from './workbook.js';
import { gridXlsForm } from './xlsform.js';

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
          '`settings.form_id` is `jahiz_<grid code>`, `settings.version` the grid version. Any status: a draft can be tried in the field before it is published.',
        ].join(' '),
        params: GridParams,
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
      const workbook = await xlsFormWorkbook(
        gridXlsForm({ ...row.definition, version: row.version }),
      );
      const file = `jahiz_${row.code.replace(/[^A-Za-z0-9_-]/g, '_')}_v${row.version}.xlsx`;
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(workbook as unknown as string); // a binary string in the contract
    },
  );
};
