import { type Static, Type } from 'typebox';
import { component, ref, responseComponent } from '../../http/schemas/components.js';
import { PageQuery } from '../../http/schemas/pagination.js';
import { MemberTypeRef } from '../members/member-type.js';
import { CodeSchema, GRID_LIMITS, gridDefinitionFields } from './definition.js';
import { AnswerSchema } from './scoring.js';

const GridStatusSchema = component(
  'GridStatus',
  Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('retired')], {
    description:
      '`draft` (editable), `published` (frozen; assessments may use it), `retired` (frozen; no new assessments).',
  }),
);
const GridStatus = ref(GridStatusSchema);

/** The definition's fields; `code` comes first in the grid, next to `version`. */
const { code: _code, ...definitionFields } = gridDefinitionFields;

const timestamp = Type.String({ format: 'date-time' });
const nullableTimestamp = Type.Union([timestamp, Type.Null()]);

export const GridSchema = responseComponent(
  'Grid',
  Type.Object(
    {
      id: Type.String({ format: 'uuid' }),
      code: CodeSchema,
      version: Type.Integer({
        minimum: 1,
        description: 'Version number of the grid within its code (1, 2, …).',
      }),
      status: GridStatus,
      ...definitionFields,
      revision: Type.Integer({
        description:
          'Bumped on every change of this record (edit, publish, retire); the `ETag` is `"<revision>"`. Distinct from `version`, the grid version number.',
      }),
      publishedAt: nullableTimestamp,
      retiredAt: nullableTimestamp,
      createdAt: timestamp,
      updatedAt: timestamp,
    },
    { additionalProperties: false, title: 'A version of a readiness grid' },
  ),
);
export type Grid = Static<typeof GridSchema>;

export const GridParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const GridListQuery = Type.Object(
  {
    ...PageQuery,
    code: Type.Optional(CodeSchema),
    status: Type.Optional(GridStatus),
  },
  { additionalProperties: false },
);

/** Enough for every criterion of the largest grid allowed. */
const MAX_ANSWERS = GRID_LIMITS.dimensions * GRID_LIMITS.criteriaPerDimension;

export const AnswersSchema = Type.Array(ref(AnswerSchema), {
  maxItems: MAX_ANSWERS,
  description: 'At most one answer per criterion, in any order.',
});

const HsCodeSchema = Type.String({
  pattern: '^[0-9]{6}$',
  description: 'A 6-digit HS subheading, e.g. `091020`.',
});

export const EvaluateBodySchema = Type.Object(
  {
    answers: AnswersSchema,
    memberType: Type.Optional(MemberTypeRef),
    hsCodes: Type.Optional(
      Type.Array(HsCodeSchema, {
        maxItems: 100,
        description: 'The products of the member to imagine; needs `memberType`.',
      }),
    ),
  },
  { additionalProperties: false },
);
