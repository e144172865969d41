import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import type { GridStatus } from '../../db/tables/grids.js';
import { ref } from '../../http/components.js';
import { created } from '../../http/created.js';
import {
  expectedVersion,
  IfMatchOptional,
  IfMatchRequired,
  optionalVersion,
  setVersionTag,
  staleVersion,
} from '../../http/etag.js';
import { decodeCursor, PageSchema, toPage } from '../../http/pagination.js';
import { assertNoErrors, conflict, type FieldError } from '../../http/problem.js';
import type { AuditAction } from '../audit/actions.js';
import { type AuditChanges, diffChanges, recordAuditEvent } from '../audit/repository.js';
import { recordEvent } from '../events/outbox.js';
import { gridPublishedEvent } from '../events/programme-events.js';
import { type GridDefinition, GridDefinitionSchema, validateGridDefinition } from './definition.js';
import {
  changeStatus,
  codeState,
  type GridRow,
  gridStatusConflict,
  insertDraft,
  listGrids,
  loadGrid,
  toGrid,
  updateDraft,
} from './repository.js';
import { roundedResult } from './rounding.js';
import { EvaluateBodySchema, GridListQuery, GridParams, GridSchema } from './schemas.js';
import { AssessmentResultSchema, scoreAssessment, validateAnswers } from './scoring.js';

const READERS = ['admin', 'partner', 'reporting'] as const;
const Grid = ref(GridSchema);
const GridDefinitionBody = ref(GridDefinitionSchema);
const tags = ['grids'];

function assertValidDefinition(definition: GridDefinition, extra: FieldError[] = []) {
  const errors = [...extra, ...validateGridDefinition(definition)];
  assertNoErrors(errors, `The grid definition is invalid: ${errors.length} problem(s).`);
}

function checkRevision(row: GridRow, expected: number | undefined) {
  if (expected !== undefined && expected !== row.revision) throw staleVersion(row.revision);
}

function audit(
  db: Db,
  request: FastifyRequest,
  grid: GridRow,
  action: AuditAction,
  changes?: AuditChanges,
) {
  return recordAuditEvent(db, {
    actor: request.principal,
    entity: 'grid',
    entityId: grid.id,
    action,
    ...(changes ? { changes } : {}),
  });
}

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
        response: { 200: PageSchema(Grid) },
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
      const definition = request.body;
      assertValidDefinition(definition);
      const row = await app.db.transaction().execute(async (trx) => {
        if (await codeState(trx, definition.code)) {
          throw conflict(
            `A grid ${definition.code} exists already; create a new version of it instead.`,
          );
        }
        const created = await insertDraft(trx, definition, 1);
        await audit(
          trx,
          request,
          created,
          'created',
          diffChanges({}, { version: 1, ...definition }),
        );
        return created;
      });
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
      const definition = request.body;
      const row = await app.db.transaction().execute(async (trx) => {
        const current = await loadGrid(trx, request.params.id, true);
        if (current.status !== 'draft') {
          throw gridStatusConflict(current, 'published grids never change; create a new version.');
        }
        checkRevision(current, expected);
        assertValidDefinition(
          definition,
          definition.code === current.code
            ? []
            : [
                {
                  pointer: '/code',
                  message: `must be ${current.code} (a grid's code does not change)`,
                },
              ],
        );
        const updated = await updateDraft(trx, current.id, definition);
        await audit(trx, request, updated, 'updated', diffChanges(current.definition, definition));
        return updated;
      });
      setVersionTag(reply, row.revision);
      return toGrid(row);
    },
  );

  /** publish and retire: one status move each, optionally conditioned on If-Match. */
  const statusMove = (
    path: string,
    move: { from: GridStatus; to: GridStatus; action: AuditAction },
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
        const row = await app.db.transaction().execute(async (trx) => {
          const current = await loadGrid(trx, request.params.id, true);
          if (current.status !== move.from) {
            throw gridStatusConflict(current, `only a ${move.from} grid can be ${move.to}.`);
          }
          checkRevision(current, expected);
          const moved = await changeStatus(trx, current.id, move.from, move.to);
          if (!moved) throw gridStatusConflict(current, 'it changed meanwhile.');
          await audit(trx, request, moved, move.action, {
            status: { from: move.from, to: move.to },
          });
          if (move.to === 'published')
            await recordEvent(trx, gridPublishedEvent(moved, request.principal));
          return moved;
        });
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
      const row = await app.db.transaction().execute(async (trx) => {
        const source = await loadGrid(trx, request.params.id);
        const state = await codeState(trx, source.code);
        if (state?.draftId !== undefined) {
          throw conflict(`Grid ${source.code} has a draft already; edit it or publish it first.`, {
            existingGridId: state.draftId,
          });
        }
        const version = (state?.highestVersion ?? source.version) + 1;
        const created = await insertDraft(trx, source.definition, version);
        await audit(trx, request, created, 'versioned', {
          copiedFrom: { to: source.id },
          version: { from: source.version, to: version },
        });
        return created;
      });
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
