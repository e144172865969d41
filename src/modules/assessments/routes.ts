import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { created } from '../../http/created.js';
import { expectedVersion, IfMatchRequired, setVersionTag } from '../../http/etag.js';
import { notFound } from '../../http/problem.js';
import { ref } from '../../http/schemas/components.js';
import { listOrder, PageSchema, toOrderedPage } from '../../http/schemas/pagination.js';
import { findMember } from '../members/repository.js';
import { MemberParams } from '../members/schemas.js';
import {
  createAssessment,
  getAssessment,
  patchAssessment,
  rescoreAssessment,
  scopeOf,
  submitAssessment,
} from './commands.js';
import { readinessOf } from './readiness.js';
import { listAssessments, toAssessment } from './repository.js';
import {
  AssessmentListQuery,
  AssessmentParams,
  AssessmentPatchSchema,
  AssessmentSchema,
  NewAssessmentSchema,
  ReadinessSchema,
  RescoreBodySchema,
  RescoredSchema,
} from './schemas.js';

/** Assessments concern one member and name its assessor: admin and the member's partner only. */
const allow: ('admin' | 'partner')[] = ['admin', 'partner'];
const tags = ['assessments'];

const AssessmentPage = PageSchema(ref(AssessmentSchema));

export const assessmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/assessments',
    {
      config: { allow },
      schema: {
        operationId: 'createAssessment',
        tags,
        summary: 'Record an assessment of a member (draft, or submitted at once)',
        description:
          'The member must be visible to the key (another partner’s → 404) and active (409 `member-not-active`); the grid must be published (a draft or retired grid → 409 `grid-status`). The answers are checked against the grid and every problem is listed in one 400 (pointers `/answers/{i}/…`): unknown criteria, duplicates, wrong types, out-of-range values, `notApplicable` where the criterion does not allow it. An answer without `value` is unanswered. With `submit: true` it is scored and frozen at once (as `POST …/submit`).',
        body: ref(NewAssessmentSchema),
        response: { 201: ref(AssessmentSchema) },
      },
    },
    async (request, reply) => {
      const row = await app.db
        .transaction()
        .execute((trx) => createAssessment(trx, request.principal, request.body));
      setVersionTag(reply, row.version);
      return created(reply, `/v1/assessments/${row.id}`).send(toAssessment(row));
    },
  );

  app.get(
    '/v1/assessments',
    {
      config: { allow },
      schema: {
        operationId: 'listAssessments',
        tags,
        summary: 'List assessments',
        description: 'A partner key sees its own members’ assessments only. Ordered by creation.',
        querystring: AssessmentListQuery,
        response: { 200: AssessmentPage },
      },
    },
    async (request) => {
      const order = listOrder(request.query);
      const rows = await listAssessments(app.db, scopeOf(request.principal), request.query, order);
      const page = toOrderedPage(rows, request.query.limit, order);
      return { data: page.data.map(toAssessment), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/assessments/:id',
    {
      config: { allow },
      schema: {
        operationId: 'getAssessment',
        tags,
        summary: 'Get one assessment',
        params: AssessmentParams,
        response: { 200: ref(AssessmentSchema) },
      },
    },
    async (request, reply) => {
      const row = await getAssessment(app.db, request.principal, request.params.id);
      setVersionTag(reply, row.version);
      return toAssessment(row);
    },
  );

  app.patch(
    '/v1/assessments/:id',
    {
      config: { allow },
      schema: {
        operationId: 'patchAssessment',
        tags,
        summary: 'Change a draft assessment (JSON merge patch, If-Match required)',
        description:
          'Body: `application/merge-patch+json` (or `application/json`). `If-Match` is required: missing → 428, stale → 412. A submitted assessment never changes → 409.',
        params: AssessmentParams,
        headers: IfMatchRequired,
        body: ref(AssessmentPatchSchema),
        response: { 200: ref(AssessmentSchema) },
      },
    },
    async (request, reply) => {
      const expected = expectedVersion(request);
      const row = await app.db
        .transaction()
        .execute((trx) =>
          patchAssessment(trx, request.principal, request.params.id, request.body, expected),
        );
      setVersionTag(reply, row.version);
      return toAssessment(row);
    },
  );

  app.post(
    '/v1/assessments/:id/submit',
    {
      config: { allow },
      schema: {
        operationId: 'submitAssessment',
        tags,
        summary: 'Submit a draft: compute and freeze its result',
        description:
          'Scores the answers on the grid (docs/scoring.md) for the member as it is now (type, products’ HS codes) and freezes `result`. A submission with too little coverage or an unanswered knock-out is accepted: its category is `INCOMPLETE`, a result like any other. A second submit → 409; of concurrent submits exactly one succeeds. The member’s readiness becomes the latest submitted assessment by `assessedOn` (ties: the later submission), so submitting an older assessment late does not replace a newer current one.',
        params: AssessmentParams,
        response: { 200: ref(AssessmentSchema) },
      },
    },
    async (request, reply) => {
      const row = await app.db
        .transaction()
        .execute((trx) => submitAssessment(trx, request.principal, request.params.id));
      setVersionTag(reply, row.version);
      return toAssessment(row);
    },
  );

  app.post(
    '/v1/assessments/:id/rescore',
    {
      config: { allow: ['admin'] },
      schema: {
        operationId: 'rescoreAssessment',
        tags,
        summary: 'Score a submitted assessment on another version of its grid',
        description:
          'Creates a new submitted assessment (`rescoredFrom` = this one) with the same member, assessor and `assessedOn`, scored on `gridId`: another published version of the same grid code (another code, or the same version → 400; a draft or retired version → 409). Answers whose criterion is not in that version, or whose value does not fit it, are dropped and listed in `droppedAnswers`. The original and its result never change. The new assessment is submitted later with the same `assessedOn`, so it becomes the member’s current readiness when the original was.',
        params: AssessmentParams,
        body: RescoreBodySchema,
        response: { 201: ref(RescoredSchema) },
      },
    },
    async (request, reply) => {
      const { row, dropped } = await app.db
        .transaction()
        .execute((trx) =>
          rescoreAssessment(trx, request.principal, request.params.id, request.body.gridId),
        );
      setVersionTag(reply, row.version);
      return created(reply, `/v1/assessments/${row.id}`).send({
        ...toAssessment(row),
        droppedAnswers: dropped,
      });
    },
  );

  app.get(
    '/v1/members/:id/readiness',
    {
      config: { allow },
      schema: {
        operationId: 'getMemberReadiness',
        tags,
        summary: 'A member’s current readiness and its history',
        description:
          '`current` is the latest submitted assessment by `assessedOn` (ties: the later submission), whatever its category, `INCOMPLETE` included, with its `gaps` (what to work on next and the recommendation for each); null before any submission. `history` lists every submitted assessment, oldest first. Scores are rounded to 4 decimals.',
        params: MemberParams,
        response: { 200: ref(ReadinessSchema) },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await findMember(app.db, id, scopeOf(request.principal)))) {
        throw notFound(`There is no member ${id}.`);
      }
      return readinessOf(app.db, id);
    },
  );
};
