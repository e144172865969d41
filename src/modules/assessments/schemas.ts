import { type Static, type TSchema, Type } from 'typebox';
import { component, ref, responseComponent } from '../../http/schemas/components.js';
import { CalendarDate } from '../../http/schemas/dates.js';
import { PageQuery, UpdatedSinceQuery } from '../../http/schemas/pagination.js';
import { CodeSchema } from '../grids/definition.js';
import { AnswersSchema } from '../grids/schemas.js';
import { AssessmentResultSchema, GapSchema } from '../grids/scoring.js';

const uuid = Type.String({ format: 'uuid' });
const date = (description: string) => CalendarDate(description);
const timestamp = Type.String({ format: 'date-time' });
const orNull = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const AssessmentStatusSchema = component(
  'AssessmentStatus',
  Type.Union([Type.Literal('draft'), Type.Literal('submitted')], {
    description: '`draft` (editable, unscored) or `submitted` (scored, frozen).',
  }),
);
const AssessmentStatus = ref(AssessmentStatusSchema);

const AssessorSchema = component(
  'Assessor',
  Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 200 }),
      organisation: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    },
    { additionalProperties: false, description: 'Who made the assessment.' },
  ),
);
const Assessor = ref(AssessorSchema);

const ASSESSED_ON =
  'Day of the assessment visit: not in the future (UTC), not before 2000-01-01. It may precede the member’s `joinedOn` (a baseline diagnostic often comes before enrolment).';

export const NewAssessmentSchema = component(
  'NewAssessment',
  Type.Object(
    {
      memberId: uuid,
      gridId: Type.String({ format: 'uuid', description: 'A published grid version.' }),
      assessedOn: date(ASSESSED_ON),
      assessor: Assessor,
      answers: AnswersSchema,
      submit: Type.Optional(
        Type.Boolean({ default: false, description: 'Submit at once (scores and freezes).' }),
      ),
    },
    { additionalProperties: false },
  ),
);
export type NewAssessment = Static<typeof NewAssessmentSchema>;

export const AssessmentPatchSchema = component(
  'AssessmentPatch',
  Type.Object(
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
  ),
);
export type AssessmentPatch = Static<typeof AssessmentPatchSchema>;

const assessmentFields = {
  id: uuid,
  memberId: uuid,
  partnerCode: Type.String(),
  gridId: uuid,
  gridCode: CodeSchema,
  gridVersion: Type.Integer(),
  status: AssessmentStatus,
  assessedOn: Type.String({ format: 'date' }),
  assessor: Assessor,
  answers: AnswersSchema,
  result: orNull(ref(AssessmentResultSchema)),
  score: orNull(Type.Number({ description: 'result.score.' })),
  category: orNull(Type.String({ description: 'result.category.' })),
  rescoredFrom: orNull(uuid),
  submissionId: orNull(
    Type.String({
      description:
        'The Kobo (`kobo:<meta/rootUuid>`) or ODK Central (`odk:<__id>`) submission it was imported from; null when typed.',
    }),
  ),
  submittedAt: orNull(timestamp),
  version: Type.Integer({ description: 'ETag of the draft (`"<version>"`).' }),
  createdAt: timestamp,
  updatedAt: timestamp,
};

export const AssessmentSchema = responseComponent(
  'Assessment',
  Type.Object(assessmentFields, {
    additionalProperties: false,
    title: 'An assessment of a member on a grid version',
  }),
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

export const RescoredSchema = responseComponent(
  'RescoredAssessment',
  Type.Object(
    {
      ...assessmentFields,
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
    { additionalProperties: false, title: 'A new assessment scored on another grid version' },
  ),
);

export const AssessmentParams = Type.Object({ id: uuid });

export const AssessmentListQuery = Type.Object(
  {
    ...PageQuery,
    ...UpdatedSinceQuery,
    memberId: Type.Optional(uuid),
    gridId: Type.Optional(uuid),
    status: Type.Optional(AssessmentStatus),
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

export const ReadinessSchema = responseComponent(
  'Readiness',
  Type.Object(
    {
      current: orNull(
        Type.Object(
          {
            ...ReadinessEntry,
            gaps: Type.Array(ref(GapSchema), {
              description:
                'What to work on next, with its recommendation: the `gaps` of the current assessment’s result.',
            }),
          },
          { additionalProperties: false },
        ),
      ),
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
    {
      additionalProperties: false,
      title: "A member's readiness: the current category and its history",
    },
  ),
);
export type Readiness = Static<typeof ReadinessSchema>;
