import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { AssessorDoc } from '../../db/tables/assessments.js';
import { uuidv7 } from '../../db/uuid.js';
import { staleVersion } from '../../http/etag.js';
import { applyMergePatch } from '../../http/merge-patch.js';
import type { Principal } from '../../http/plugins/auth.js';
import {
  assertNoErrors,
  badRequest,
  type FieldError,
  HttpProblem,
  notFound,
} from '../../http/problem.js';
import type { AuditAction } from '../audit/actions.js';
import { type AuditChanges, diffChanges, recordAuditEvent } from '../audit/repository.js';
import { recordEvents } from '../events/outbox.js';
import { type GridRow, gridStatusConflict, loadGrid } from '../grids/repository.js';
import { type Answer, scoreAssessment, validateAnswers } from '../grids/scoring.js';
import type { MemberRow } from '../members/document.js';
import { lockMember } from '../members/repository.js';
import { today } from '../members/validation.js';
import { submissionEvents } from './events.js';
import {
  type AssessmentRow,
  findAssessment,
  insertAssessment,
  lockAssessment,
  markSubmitted,
  refreshReadiness,
  updateDraft,
} from './repository.js';
import type { AssessmentPatch, NewAssessment } from './schemas.js';

/** Assessments before this day are taken for typing mistakes. */
const EARLIEST_ASSESSMENT = '2000-01-01';

export const scopeOf = (principal: Principal) =>
  principal.role === 'partner' ? principal.partnerCode : null;

function assessmentNotFound(id: string) {
  return notFound(`There is no assessment ${id}.`);
}

function assessmentConflict(row: AssessmentRow, detail: string) {
  return new HttpProblem({
    type: 'assessment-submitted',
    detail: `Assessment ${row.id} is ${row.status}: ${detail}`,
  });
}

async function loadAssessment(db: Db, principal: Principal, id: string) {
  return found(await findAssessment(db, id, scopeOf(principal)), id);
}

/** The assessment the caller may see, locked until the transaction ends. */
async function lockVisibleAssessment(trx: Transaction<Database>, principal: Principal, id: string) {
  return found(await lockAssessment(trx, id, scopeOf(principal)), id);
}

function found(row: AssessmentRow | undefined, id: string): AssessmentRow {
  if (!row) throw assessmentNotFound(id);
  return row;
}

export async function getAssessment(db: Db, principal: Principal, id: string) {
  return loadAssessment(db, principal, id);
}

/** The member, visible to the key, locked so that its readiness is updated in turn. */
async function lockVisibleMember(trx: Transaction<Database>, scope: string | null, id: string) {
  const member = await lockMember(trx, id, scope);
  if (!member) throw notFound(`There is no member ${id}.`);
  return member;
}

function assertActive(member: MemberRow) {
  if (member.status !== 'active') {
    throw new HttpProblem({
      type: 'member-not-active',
      detail: `Member ${member.id} is ${member.status}: only active members are assessed.`,
    });
  }
}

/** A grid that takes new assessments: published (a draft is unfinished, a retired one closed). */
function assertOpen(grid: GridRow) {
  if (grid.status !== 'published') {
    throw gridStatusConflict(grid, 'new assessments need a published grid.');
  }
}

export function assessedOnErrors(assessedOn: string): FieldError[] {
  if (assessedOn > today()) return [{ pointer: '/assessedOn', message: 'is in the future' }];
  if (assessedOn < EARLIEST_ASSESSMENT) {
    return [{ pointer: '/assessedOn', message: `must be ${EARLIEST_ASSESSMENT} or later` }];
  }
  return [];
}

function assertValidContent(grid: GridRow, assessedOn: string, answers: readonly Answer[]) {
  const errors = [...assessedOnErrors(assessedOn), ...validateAnswers(grid.definition, answers)];
  assertNoErrors(errors, `The assessment is invalid: ${errors.length} problem(s).`);
}

function audit(
  db: Db,
  principal: Principal,
  row: { id: string; partnerCode: string },
  action: AuditAction,
  changes?: AuditChanges,
) {
  return recordAuditEvent(db, {
    actor: principal,
    entity: 'assessment',
    entityId: row.id,
    action,
    partnerCode: row.partnerCode,
    ...(changes ? { changes } : {}),
  });
}

/**
 * Scores a draft on its grid for the member as it is now, freezes the result, updates readiness;
 * records `assessment.submitted`, and `readiness.changed` when the member's category moved.
 */
async function submitDraft(
  db: Db,
  principal: Principal,
  row: AssessmentRow,
  grid: GridRow,
  member: MemberRow,
) {
  const result = scoreAssessment(grid.definition, row.answers, {
    type: member.type,
    hsCodes: member.hsCodes,
  });
  if (!(await markSubmitted(db, row.id, result))) {
    throw assessmentConflict(row, 'it was submitted already.');
  }
  const readiness = await refreshReadiness(db, member.id);
  await recordEvents(
    db,
    submissionEvents(principal, row, member, result, {
      from: member.readinessCategory,
      to: readiness?.category ?? null,
      assessmentId: readiness?.id ?? null,
    }),
  );
  return result;
}

/** `submissionId`: the Kobo or ODK submission it comes from (docs/field-collection.md). */
export async function createAssessment(
  trx: Transaction<Database>,
  principal: Principal,
  body: NewAssessment,
  submissionId?: string,
) {
  const member = await lockVisibleMember(trx, scopeOf(principal), body.memberId);
  const grid = await loadGrid(trx, body.gridId);
  assertValidContent(grid, body.assessedOn, body.answers);
  assertOpen(grid);
  assertActive(member);
  const { id } = await insertAssessment(trx, {
    id: uuidv7(),
    memberId: member.id,
    partnerCode: member.partnerCode,
    gridId: grid.id,
    assessedOn: body.assessedOn,
    assessor: body.assessor,
    answers: body.answers,
    ...(submissionId === undefined ? {} : { submissionId }),
  });
  const draft = (await findAssessment(trx, id, null)) as AssessmentRow;
  await audit(
    trx,
    principal,
    draft,
    'created',
    diffChanges({}, body, ['memberId', 'gridId', 'assessedOn', 'assessor', 'answers']),
  );
  if (body.submit) {
    const result = await submitDraft(trx, principal, draft, grid, member);
    await audit(trx, principal, draft, 'submitted', submittedChanges(result));
  }
  return (await findAssessment(trx, id, null)) as AssessmentRow;
}

function submittedChanges(result: { category: string; score: number }): AuditChanges {
  return {
    status: { from: 'draft', to: 'submitted' },
    category: { to: result.category },
    score: { to: result.score },
  };
}

/** JSON merge patch of a draft's assessedOn, assessor and answers (answers replaced whole). */
export async function patchAssessment(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
  patch: AssessmentPatch,
  expected: number | undefined,
) {
  const row = await lockVisibleAssessment(trx, principal, id);
  if (row.status !== 'draft')
    throw assessmentConflict(row, 'a submitted assessment never changes.');
  if (expected !== undefined && expected !== row.version) throw staleVersion(row.version);
  const before = { assessedOn: row.assessedOn, assessor: row.assessor, answers: row.answers };
  const after = applyMergePatch(before, patch);
  assertValidContent(await loadGrid(trx, row.gridId), after.assessedOn, after.answers);
  const changes = diffChanges(before, after);
  if (Object.keys(changes).length === 0) return row;
  if (!(await updateDraft(trx, row.id, row.version, after))) throw staleVersion();
  await audit(trx, principal, row, 'updated', changes);
  return (await findAssessment(trx, id, null)) as AssessmentRow;
}

export async function submitAssessment(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
) {
  const seen = await loadAssessment(trx, principal, id);
  if (seen.status !== 'draft') throw assessmentConflict(seen, 'it was submitted already.');
  // Member first, then the assessment (read again, locked): the answers scored are the last
  // ones written, and submissions for one member follow each other.
  const member = await lockVisibleMember(trx, null, seen.memberId);
  const row = await lockVisibleAssessment(trx, principal, id);
  if (row.status !== 'draft') throw assessmentConflict(row, 'it was submitted already.');
  assertActive(member);
  const result = await submitDraft(trx, principal, row, await loadGrid(trx, row.gridId), member);
  await audit(trx, principal, row, 'submitted', submittedChanges(result));
  return (await findAssessment(trx, id, null)) as AssessmentRow;
}

interface DroppedAnswer {
  criterion: string;
  reason: string;
}

/**
 * The answers of an assessment that still fit another version of its grid; the others are
 * dropped with the reason (criterion gone, or value no longer valid there).
 */
function carryAnswers(grid: GridRow, answers: readonly Answer[]) {
  const kept: Answer[] = [];
  const dropped: DroppedAnswer[] = [];
  for (const answer of answers) {
    const issues = validateAnswers(grid.definition, [answer]);
    if (issues.length === 0) kept.push(answer);
    else
      dropped.push({
        criterion: answer.criterion,
        reason: issues.map((i) => i.message).join('; '),
      });
  }
  return { kept, dropped };
}

/**
 * Scores a submitted assessment's answers on another published version of the same grid, as a
 * new submitted assessment linked to it (same member, assessor and assessedOn). The original and
 * its result stay as they are.
 */
export async function rescoreAssessment(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
  gridId: string,
) {
  const original = await loadAssessment(trx, principal, id);
  if (original.status !== 'submitted') {
    throw assessmentConflict(original, 'only a submitted assessment can be re-scored.');
  }
  const grid = await loadGrid(trx, gridId);
  if (grid.code !== original.gridCode || grid.id === original.gridId) {
    throw badRequest('The grid must be another version of the assessment’s grid.', [
      {
        pointer: '/gridId',
        message:
          grid.id === original.gridId
            ? 'is the grid the assessment was scored on'
            : `is a version of ${grid.code}, not of ${original.gridCode}`,
      },
    ]);
  }
  assertOpen(grid);
  const member = await lockVisibleMember(trx, null, original.memberId);
  const { kept, dropped } = carryAnswers(grid, original.answers);
  const { id: newId } = await insertAssessment(trx, {
    id: uuidv7(),
    memberId: original.memberId,
    partnerCode: original.partnerCode,
    gridId: grid.id,
    assessedOn: original.assessedOn,
    assessor: original.assessor as AssessorDoc,
    answers: kept,
    rescoredFrom: original.id,
  });
  const draft = (await findAssessment(trx, newId, null)) as AssessmentRow;
  const result = await submitDraft(trx, principal, draft, grid, member);
  await audit(trx, principal, draft, 'rescored', {
    rescoredFrom: { to: original.id },
    gridId: { from: original.gridId, to: grid.id },
    ...submittedChanges(result),
    ...(dropped.length > 0 ? { droppedAnswers: { to: dropped } } : {}),
  });
  const row = (await findAssessment(trx, newId, null)) as AssessmentRow;
  return { row, dropped };
}
