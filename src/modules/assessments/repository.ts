import { type Selectable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import { applyListOrder } from '../../db/list-order.js';
import type { Database } from '../../db/schema.js';
import type { AssessmentsTable, AssessorDoc } from '../../db/tables/assessments.js';
import type { ListOrder } from '../../http/schemas/pagination.js';
import { rounded, roundedResult } from '../grids/rounding.js';
import type { Answer, AssessmentResult } from '../grids/scoring.js';
import type { Assessment, AssessmentListFilters } from './schemas.js';

/** An assessment row with the code and version of its grid. */
export type AssessmentRow = Selectable<AssessmentsTable> & {
  gridCode: string;
  gridVersion: number;
};

export function toAssessment(row: AssessmentRow): Assessment {
  return {
    id: row.id,
    memberId: row.memberId,
    partnerCode: row.partnerCode,
    gridId: row.gridId,
    gridCode: row.gridCode,
    gridVersion: row.gridVersion,
    status: row.status,
    assessedOn: row.assessedOn,
    assessor: row.assessor,
    answers: row.answers,
    result: row.result && roundedResult(row.result),
    score: row.score === null ? null : rounded(row.score),
    category: row.category,
    rescoredFrom: row.rescoredFrom,
    submissionId: row.submissionId,
    submittedAt: row.submittedAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function selectAssessments(db: Db) {
  return db
    .selectFrom('assessments')
    .innerJoin('grids', 'grids.id', 'assessments.gridId')
    .selectAll('assessments')
    .select(['grids.code as gridCode', 'grids.version as gridVersion']);
}

/** One assessment; a partner key (scope) sees only its own members' as if others were absent. */
export async function findAssessment(
  db: Db,
  id: string,
  scope: string | null,
): Promise<AssessmentRow | undefined> {
  return assessmentById(db, id, scope).executeTakeFirst();
}

/** The assessment (not its grid), locked until the transaction ends (commands that change it). */
export async function lockAssessment(
  trx: Transaction<Database>,
  id: string,
  scope: string | null,
): Promise<AssessmentRow | undefined> {
  return assessmentById(trx, id, scope).forUpdate(['assessments']).executeTakeFirst();
}

function assessmentById(db: Db, id: string, scope: string | null) {
  const query = selectAssessments(db).where('assessments.id', '=', id);
  return scope === null ? query : query.where('assessments.partnerCode', '=', scope);
}

/** Keyset page in id order (UUID v7: creation order). */
export async function listAssessments(
  db: Db,
  scope: string | null,
  filters: AssessmentListFilters,
  order: ListOrder,
) {
  let query = selectAssessments(db);
  if (scope !== null) query = query.where('assessments.partnerCode', '=', scope);
  if (filters.partner !== undefined)
    query = query.where('assessments.partnerCode', '=', filters.partner);
  if (filters.memberId !== undefined)
    query = query.where('assessments.memberId', '=', filters.memberId);
  if (filters.gridId !== undefined) query = query.where('assessments.gridId', '=', filters.gridId);
  if (filters.status !== undefined) query = query.where('assessments.status', '=', filters.status);
  if (filters.category !== undefined)
    query = query.where('assessments.category', '=', filters.category);
  return applyListOrder(query, 'assessments', order)
    .limit(filters.limit + 1)
    .execute();
}

export interface NewAssessmentRow {
  id: string;
  memberId: string;
  partnerCode: string;
  gridId: string;
  assessedOn: string;
  assessor: AssessorDoc;
  answers: Answer[];
  rescoredFrom?: string;
  submissionId?: string;
}

export async function insertAssessment(db: Db, a: NewAssessmentRow) {
  return db
    .insertInto('assessments')
    .values({
      id: a.id,
      memberId: a.memberId,
      partnerCode: a.partnerCode,
      gridId: a.gridId,
      status: 'draft',
      assessedOn: a.assessedOn,
      assessor: JSON.stringify(a.assessor),
      answers: JSON.stringify(a.answers),
      result: null,
      score: null,
      category: null,
      rescoredFrom: a.rescoredFrom ?? null,
      submissionId: a.submissionId ?? null,
      submittedAt: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Rewrites a draft at the version read; false when it is no longer that draft. */
export async function updateDraft(
  db: Db,
  id: string,
  version: number,
  fields: { assessedOn: string; assessor: AssessorDoc; answers: Answer[] },
): Promise<boolean> {
  const updated = await db
    .updateTable('assessments')
    .set({
      assessedOn: fields.assessedOn,
      assessor: JSON.stringify(fields.assessor),
      answers: JSON.stringify(fields.answers),
      version: sql<number>`version + 1`,
      updatedAt: sql<string>`now()`,
    })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/**
 * Freezes a draft's result. Conditional on `status = 'draft'`, so of concurrent submissions
 * exactly one succeeds; false for the others. `clock_timestamp()` rather than `now()`: the
 * submission order must follow the real order even when transactions started the other way.
 */
export async function markSubmitted(
  db: Db,
  id: string,
  result: AssessmentResult,
): Promise<boolean> {
  const updated = await db
    .updateTable('assessments')
    .set({
      status: 'submitted',
      result: JSON.stringify(result),
      score: result.score,
      category: result.category,
      submittedAt: sql<string>`clock_timestamp()`,
      version: sql<number>`version + 1`,
      updatedAt: sql<string>`now()`,
    })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** A member's submitted assessments, oldest first: by assessedOn, then by submission. */
/** The stored (unrounded) result of an assessment, or null while it is a draft. */
export async function storedResult(db: Db, assessmentId: string) {
  const row = await db
    .selectFrom('assessments')
    .select('result')
    .where('id', '=', assessmentId)
    .executeTakeFirst();
  return row?.result ?? null;
}

export async function submittedHistory(db: Db, memberId: string) {
  return db
    .selectFrom('assessments')
    .innerJoin('grids', 'grids.id', 'assessments.gridId')
    .select([
      'assessments.id as assessmentId',
      'assessments.assessedOn',
      'assessments.submittedAt',
      'assessments.category',
      'assessments.score',
      'assessments.rescoredFrom',
      'grids.code as gridCode',
      'grids.version as gridVersion',
    ])
    .where('assessments.memberId', '=', memberId)
    .where('assessments.status', '=', 'submitted')
    .orderBy('assessments.assessedOn')
    .orderBy('assessments.submittedAt')
    .orderBy('assessments.id')
    .execute();
}

/**
 * Sets the member's readiness columns from its latest submitted assessment by assessedOn (ties:
 * the later submission). Recomputed rather than compared, so a late submission of an older
 * assessment leaves the current one in place. Call with the member row locked.
 */
export async function refreshReadiness(
  db: Db,
  memberId: string,
): Promise<{ id: string; category: string | null } | undefined> {
  const latest = await db
    .selectFrom('assessments')
    .select(['id', 'category', 'assessedOn'])
    .where('memberId', '=', memberId)
    .where('status', '=', 'submitted')
    .orderBy('assessedOn', 'desc')
    .orderBy('submittedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const category = latest?.category ?? null;
  // `readiness` is part of the member's representation: when it changes, so do the member's
  // version (its ETag) and updatedAt. Who wrote the member's data stays (docs/sync.md).
  const changed = sql<boolean>`readiness_category is distinct from ${category}::text`;
  await db
    .updateTable('members')
    .set({
      readinessCategory: category,
      readinessAssessmentId: latest?.id ?? null,
      readinessAssessedOn: latest?.assessedOn ?? null,
      version: sql<number>`case when ${changed} then version + 1 else version end`,
      updatedAt: sql<string>`case when ${changed} then now() else updated_at end`,
    })
    .where('id', '=', memberId)
    .execute();
  return latest;
}
