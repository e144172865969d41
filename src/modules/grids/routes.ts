import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { created } from '../../http/created.js';
import {
  expectedVersion,
  IfMatchOptional,
  IfMatchRequired,
  optionalVersion,
  setVersionTag,
} from '../../http/etag.js';
import { assertNoErrors, type FieldError } from '../../http/problem.js';
import { ref } from '../../http/schemas/components.js';
import { decodeCursor, PageSchema, toPage } from '../../http/schemas/pagination.js';
import {
  createGrid,
  createGridVersion,
  moveGridStatus,
  replaceDraft,
  type StatusMove,
} from './commands.js';
import { GridDefinitionSchema } from './definition.js';
import { listGrids, loadGrid, toGrid } from './repository.js';
import { roundedResult } from './rounding.js';
import { EvaluateBodySchema, GridListQuery, GridParams, GridSchema } from './schemas.js';
import { AssessmentResultSchema, scoreAssessment, validateAnswers } from './scoring.js';

const READERS = ['admin', 'partner', 'reporting'] as const;
const Grid = ref(GridSchema);
const GridDefinitionBody = ref(GridDefinitionSchema);
const tags = ['grids'];

const GridPage = PageSchema(Grid);

export const gridRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/grids',
    {
      config: { allow: [...READERS] },
      schema: {
        operationId: 'listGrids',
        tags,
        summary: 'List grid versions',
        description: 'Ordered by code, then version.',
        querystring: GridListQuery,
        response: { 200: GridPage },
      },
    },
    async (request) => {
      const { limit, cursor, code, status } = request.query;
      const key = decodeCursor(cursor, 2);
      const after = key && { code: String(key[0]), version: Number(key[1]) };
      const rows = await listGrids(app.db, { code, status, limit }, after);
      const page = toPage(rows, limit, (g) => [g.code, g.version]);
      return { data: page.data.map(toGrid), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/grids/:id',
    {
      config: { allow: [...READERS] },
      schema: {
        operationId: 'getGrid',
        tags,
        summary: 'Get one grid version',
        params: GridParams,
        response: { 200: Grid },
      },
    },
    async (request, reply) => {
      const row = await loadGrid(app.db, request.params.id);
      setVersionTag(reply, row.revision);
      return toGrid(row);
    },
  );

  app.post(
    '/v1/grids',
    {
      config: { allow: ['admin'] },
      schema: {
        operationId: 'createGrid',
        tags,
        summary: 'Create a grid (version 1, draft)',
        description:
          'The whole definition is checked at once: every problem is listed in one 400. A code that exists already → 409 (a new version comes from `POST /v1/grids/{id}/versions`).',
        body: GridDefinitionBody,
        response: { 201: Grid },
      },
    },
    async (request, reply) => {
      const row = await app.db
        .transaction()
        .execute((trx) => createGrid(trx, request.principal, request.body));
      setVersionTag(reply, row.revision);
      return created(reply, `/v1/grids/${row.id}`).send(toGrid(row));
    },
  );

  app.put(
    '/v1/grids/:id',
    {
      config: { allow: ['admin'] },
      schema: {
        operationId: 'updateGrid',
        tags,
        summary: 'Replace the definition of a draft grid (If-Match)',
        description:
          'The body is the whole definition. Only a draft changes: a published or retired grid → 409. `If-Match` takes the grid’s ETag (its `revision`): missing → 428, stale → 412. The code cannot change.',
        params: GridParams,
        headers: IfMatchRequired,
        body: GridDefinitionBody,
        response: { 200: Grid },
      },
    },
    async (request, reply) => {
      const expected = expectedVersion(request);
      const row = await app.db
        .transaction()
        .execute((trx) =>
          replaceDraft(trx, request.principal, request.params.id, request.body, expected),
        );
      setVersionTag(reply, row.revision);
      return toGrid(row);
    },
  );

  /** publish and retire: one status move each, optionally conditioned on If-Match. */
  const statusMove = (
    path: string,
    move: StatusMove,
    doc: { operationId: string; summary: string; description: string },
  ) =>
    app.post(
      path,
      {
        config: { allow: ['admin'] },
        schema: {
          ...doc,
          tags,
          params: GridParams,
          headers: IfMatchOptional,
          response: { 200: Grid },
        },
      },
      async (request, reply) => {
        const expected = optionalVersion(request);
        const row = await app.db
          .transaction()
          .execute((trx) =>
            moveGridStatus(trx, request.principal, request.params.id, move, expected),
          );
        setVersionTag(reply, row.revision);
        return toGrid(row);
      },
    );

  statusMove(
    '/v1/grids/:id/publish',
    { from: 'draft', to: 'published', action: 'published' },
    {
      operationId: 'publishGrid',
      summary: 'Publish a draft grid: it is frozen from now on',
      description:
        'Only a draft can be published (otherwise 409). Assessments may use it from now on. `If-Match` is optional; when sent it must name the current revision (412).',
    },
  );

  statusMove(
    '/v1/grids/:id/retire',
    { from: 'published', to: 'retired', action: 'retired' },
    {
      operationId: 'retireGrid',
      summary: 'Retire a published grid: no new assessments on it',
      description:
        'Only a published grid can be retired (otherwise 409). Existing assessments and their results are unchanged, and drafts started on it may still be completed and submitted; new assessments and re-scorings onto it are refused. `If-Match` is optional (412 when stale).',
    },
  );

  app.post(
    '/v1/grids/:id/versions',
    {
      config: { allow: ['admin'] },
      schema: {
        operationId: 'createGridVersion',
        tags,
        summary: 'Copy a grid into a new draft version',
        description:
          'The new draft has the same code and definition and the version after the highest version of the code. A code has at most one draft at a time: when one exists → 409 naming it (`existingGridId`).',
        params: GridParams,
        response: { 201: Grid },
      },
    },
    async (request, reply) => {
      const row = await app.db
        .transaction()
        .execute((trx) => createGridVersion(trx, request.principal, request.params.id));
      setVersionTag(reply, row.revision);
      return created(reply, `/v1/grids/${row.id}`).send(toGrid(row));
    },
  );

  app.post(
    '/v1/grids/:id/evaluate',
    {
      config: { allow: [...READERS] },
      schema: {
        operationId: 'evaluateGrid',
        tags,
        summary: 'Score answers on a grid without storing anything',
        description:
          'Any grid status (a draft can be tried before publishing). Without `memberType` every criterion applies; with it, `appliesTo` is evaluated for a member of that type with the products `hsCodes`. Answers are checked as for an assessment: each problem is listed in one 400 (pointers `/answers/{i}/…`).',
        params: GridParams,
        body: EvaluateBodySchema,
        response: { 200: ref(AssessmentResultSchema) },
      },
    },
    async (request) => {
      const { answers, memberType, hsCodes } = request.body;
      const grid = await loadGrid(app.db, request.params.id);
      const errors: FieldError[] = validateAnswers(grid.definition, answers);
      if (hsCodes !== undefined && memberType === undefined) {
        errors.push({ pointer: '/memberType', message: 'is required when hsCodes are given' });
      }
      assertNoErrors(errors, `The answers do not fit the grid: ${errors.length} problem(s).`);
      const member = memberType === undefined ? null : { type: memberType, hsCodes: hsCodes ?? [] };
      return roundedResult(scoreAssessment(grid.definition, answers, member));
    },
  );
};
