import { Type } from 'typebox';
import { component } from '../../http/schemas/components.js';

/** Submissions per request: a day of a field team's work many times over. */
export const MAX_SUBMISSIONS = 1000;
/** Kobo records of a 40-criterion form are a few KiB each. */
export const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;

export const SubmissionsImportSchema = component(
  'SubmissionsImport',
  Type.Object(
    {
      gridId: Type.String({
        format: 'uuid',
        description: 'The published grid whose XLSForm collected the submissions.',
      }),
      format: Type.Union([Type.Literal('kobo'), Type.Literal('odk')], {
        description:
          '`kobo`: records of KoboToolbox API v2 (`results` of `/api/v2/assets/{uid}/data/`); `odk`: records of ODK Central OData (`value` of `…/forms/{id}.svc/Submissions`).',
      }),
      submissions: Type.Array(Type.Object({}, { additionalProperties: true }), {
        minItems: 1,
        maxItems: MAX_SUBMISSIONS,
        description: `Up to ${MAX_SUBMISSIONS} submission records, as the tool returns them.`,
      }),
      dryRun: Type.Optional(
        Type.Boolean({ default: false, description: 'Check and classify, write nothing.' }),
      ),
    },
    { additionalProperties: false },
  ),
);
