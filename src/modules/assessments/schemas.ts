import { type Static, type TSchema, Type } from 'typebox';
import { PageQuery, UpdatedSinceQuery } from '../../http/pagination.js';
import { CodeSchema } from '../grids/definition.js';
import { AnswersSchema } from '../grids/schemas.js';
import { AssessmentResultSchema } from '../grids/scoring.js';

const uuid = Type.String({ format: 'uuid' });
const date = (description: string) => Type.String({ format: 'date', description });
const timestamp = Type.String({ format: 'date-time' });
const orNull = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const AssessmentStatusSchema = Type.Union([
  Type.Literal('draft'),
  Type.Literal('submitted'),
]);

export const AssessorSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    organisation: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

const ASSESSED_ON =
  'Day of the assessment visit: not in the future (UTC), not before 2000-01-01. It may precede the member’s `joinedOn` (a baseline diagnostic often comes before enrolment).';

export const NewAssessmentSchema = Type.Object(
  {
    memberId: uuid,
    gridId: Type.String({ format: 'uuid', description: 'A published grid version.' }),
    assessedOn: date(ASSESSED_ON),
    assessor: AssessorSchema,
    answers: AnswersSchema,
    submit: Type.Optional(
      Type.Boolean({ default: false, description: 'Submit at once (scores and freezes).' }),
    ),
  },
  { additionalProperties: false },
);
export type NewAssessment = Static<typeof NewAssessmentSchema>;

export const AssessmentPatchSchema = Type.Object(
  {
    assessedOn: Type.Optional(date(ASSESSED_ON)),
    assessor: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          organisation: Type.Optional(
            Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()]),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    answers: Type.Optional(AnswersSchema),
  },
  {
    additionalProperties: false,
    description:
      'JSON merge patch (RFC 7396) of a draft: `assessedOn`, `assessor` (merged; `organisation: null` removes it) and `answers` (replaced as a whole).',
  },
);
export type AssessmentPatch = Static<typeof AssessmentPatchSchema>;

export const AssessmentSchema = Type.Object(
  {
    id: uuid,
    memberId: uuid,
    partnerCode: Type.String(),
    gridId: uuid,
    gridCode: CodeSchema,
    gridVersion: Type.Integer(),
    status: AssessmentStatusSchema,
    assessedOn: Type.String({ format: 'date' }),
    assessor: AssessorSchema,
    answers: AnswersSchema,
    result: orNull(AssessmentResultSchema),
    score: orNull(Type.Number({ description: 'result.score, unrounded.' })),
    category: orNull(Type.String({ description: 'result.category.' })),
    rescoredFrom: orNull(uuid),
    submittedAt: orNull(timestamp),
    version: Type.Integer({ description: 'ETag of the draft (`"<version>"`).' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  { additionalProperties: false },
);
export type Assessment = Static<typeof AssessmentSchema>;

export const RescoreBodySchema = Type.Object(
  {
    gridId: Type.String({
      format: 'uuid',
      description: 'Another published version of the same grid code.',
    }),
  },
  { additionalProperties: false },
);

export const RescoredSchema = Type.Object(
  {
    ...AssessmentSchema.properties,
    droppedAnswers: Type.Array(
      Type.Object(
        { criterion: Type.String(), reason: Type.String() },
        { additionalProperties: false },
      ),
      {
        description:
          'Answers of the original left out: their criterion is not in the new version, or their value does not fit it.',
      },
    ),
  },
  { additionalProperties: false },
);

export const AssessmentParams = Type.Object({ id: uuid });

export const AssessmentListQuery = Type.Object(
  {
    ...PageQuery,
    ...UpdatedSinceQuery,
    memberId: Type.Optional(uuid),
    gridId: Type.Optional(uuid),
    status: Type.Optional(AssessmentStatusSchema),
    category: Type.Optional(
      Type.String({ maxLength: 40, description: 'A category code or `INCOMPLETE`.' }),
    ),
    partner: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type AssessmentListFilters = Static<typeof AssessmentListQuery>;

const ReadinessEntry = {
  assessmentId: uuid,
  assessedOn: Type.String({ format: 'date' }),
  category: Type.String(),
  score: Type.Number(),
};

export const ReadinessSchema = Type.Object(
  {
    current: orNull(Type.Object(ReadinessEntry, { additionalProperties: false })),
    history: Type.Array(
      Type.Object(
        {
          ...ReadinessEntry,
          submittedAt: timestamp,
          gridCode: CodeSchema,
          gridVersion: Type.Integer(),
          rescoredFrom: orNull(uuid),
        },
        { additionalProperties: false },
      ),
      { description: 'Every submitted assessment, oldest first (assessedOn, then submission).' },
    ),
  },
  { additionalProperties: false },
);
export type Readiness = Static<typeof ReadinessSchema>;
