/**
 * `POST /v1/assessments/import`: Kobo and ODK Central submissions of a grid's XLSForm become
 * submitted assessments, scored as `POST /v1/assessments` with `submit: true` scores them
 * (docs/field-collection.md). Rows are independent; with `dryRun` nothing is written.
 */

import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { Principal } from '../../http/plugins/auth.js';
import { type FieldError, HttpProblem } from '../../http/problem.js';
import { type ImportRowResult, summariseImport } from '../../http/schemas/import-summary.js';
import { createAssessment, scopeOf } from '../assessments/commands.js';
import { gridStatusConflict, loadGrid } from '../grids/repository.js';
import type { Answer } from '../grids/scoring.js';
import { findMember } from '../members/repository.js';
import { FIXED, type FormNames, formNames } from './form-names.js';
import { findBySubmission, membersByRef } from './repository.js';
import { type ReadSubmission, readSubmission, type SubmissionFormat } from './submissions.js';

export interface ImportRequest {
  gridId: string;
  format: SubmissionFormat;
  submissions: unknown[];
  dryRun?: boolean | undefined;
}

const failed = (index: number, errors: FieldError[], conflict = false): ImportRowResult => ({
  index,
  status: 'failed',
  errors: errors.map((e) => ({ pointer: e.pointer ?? '', message: e.message })),
  ...(conflict ? { conflict } : {}),
});

/** The member named by `member_ref`, visible to the key, or why there is none. */
async function resolveMember(db: Db, principal: Principal, read: ReadSubmission) {
  const ref = read.memberRef as string;
  const candidates = await membersByRef(db, scopeOf(principal), ref);
  const problem = (message: string) => ({
    error: { pointer: read.memberRefPointer, message } as FieldError,
  });
  if (candidates.length === 0) return problem(`${FIXED.memberRef}: there is no member "${ref}"`);
  if (candidates.length > 1) {
    return problem(
      `${FIXED.memberRef}: "${ref}" is the externalRef of members of several partners; use the member's ICE or id`,
    );
  }
  const member = await findMember(db, candidates[0]!.id, null);
  if (member === undefined) return problem(`${FIXED.memberRef}: there is no member "${ref}"`);
  if (read.memberType !== undefined && read.memberType !== member.type) {
    return problem(
      `${FIXED.memberType} is ${read.memberType} but member ${member.id} is a ${member.type}: correct the submission or the member`,
    );
  }
  return { member };
}

const canonical = (answers: readonly Answer[]) =>
  JSON.stringify(
    [...answers]
      .map((a) => [a.criterion, a.notApplicable === true ? 'n/a' : a.value])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );

/** The criteria whose answer differs between two answer lists. */
function changedCriteria(before: readonly Answer[], after: readonly Answer[]): string[] {
  const key = (a: Answer | undefined) =>
    a === undefined ? '' : JSON.stringify(a.notApplicable === true ? 'n/a' : a.value);
  const codes = new Set([...before, ...after].map((a) => a.criterion));
  return [...codes].filter(
    (code) =>
      key(before.find((a) => a.criterion === code)) !==
      key(after.find((a) => a.criterion === code)),
  );
}

/** The row's outcome when its submission was imported before. */
function againRow(
  index: number,
  base: string,
  existing: NonNullable<Awaited<ReturnType<typeof findBySubmission>>>,
  read: ReadSubmission,
  gridId: string,
  memberId: string,
): ImportRowResult {
  const changes: string[] = [];
  if (existing.gridId !== gridId) changes.push('the grid');
  if (existing.memberId !== memberId) changes.push('the member');
  if (existing.assessedOn !== read.assessedOn) changes.push(`${FIXED.assessedOn}`);
  const criteria = changedCriteria(existing.answers, read.answers);
  if (criteria.length > 0) changes.push(`the answers to ${criteria.join(', ')}`);
  if (changes.length === 0 && canonical(existing.answers) === canonical(read.answers)) {
    return { index, status: 'unchanged', id: existing.id };
  }
  return failed(
    index,
    [
      {
        pointer: base,
        message: `submission ${read.submissionId} was imported already as assessment ${existing.id} (${existing.status}); it was edited since (${changes.join('; ')}). A submitted assessment never changes: record the new visit as a new submission.`,
      },
    ],
    true,
  );
}

async function importRow(
  trx: Transaction<Database>,
  principal: Principal,
  request: ImportRequest,
  names: FormNames,
  grid: Awaited<ReturnType<typeof loadGrid>>,
  index: number,
  seen: Map<string, number>,
): Promise<ImportRowResult> {
  const base = `/submissions/${index}`;
  const read = readSubmission(
    grid.definition,
    names,
    request.format,
    request.submissions[index],
    base,
  );
  if (read.errors.length > 0) return failed(index, read.errors);
  const submissionId = read.submissionId as string;
  const first = seen.get(submissionId);
  if (first !== undefined) {
    return failed(index, [{ pointer: base, message: `repeats the submission of row ${first}` }]);
  }
  seen.set(submissionId, index);
  const resolved = await resolveMember(trx, principal, read);
  if ('error' in resolved) return failed(index, [resolved.error]);
  const { member } = resolved;
  const existing = await findBySubmission(trx, member.partnerCode, submissionId);
  if (existing) return againRow(index, base, existing, read, grid.id, member.id);
  if (member.status !== 'active') {
    return failed(
      index,
      [
        {
          pointer: read.memberRefPointer,
          message: `member ${member.id} is ${member.status}: only active members are assessed`,
        },
      ],
      true,
    );
  }
  if (request.dryRun) return { index, status: 'created' };
  try {
    const row = await createAssessment(
      trx,
      principal,
      {
        memberId: member.id,
        gridId: grid.id,
        assessedOn: read.assessedOn as string,
        assessor: read.assessor as { name: string },
        answers: read.answers,
        submit: true,
      },
      submissionId,
    );
    return { index, status: 'created', id: row.id };
  } catch (error) {
    // Checked above, so only a change made meanwhile gets here; nothing of the row was written.
    if (!(error instanceof HttpProblem)) throw error;
    return failed(index, [{ pointer: base, message: error.message }], error.status === 409);
  }
}

export async function importSubmissions(
  trx: Transaction<Database>,
  principal: Principal,
  request: ImportRequest,
) {
  const grid = await loadGrid(trx, request.gridId);
  if (grid.status !== 'published') {
    throw gridStatusConflict(grid, 'assessments are imported onto a published grid only.');
  }
  const names = formNames(grid.definition);
  const seen = new Map<string, number>();
  const results: ImportRowResult[] = [];
  for (let index = 0; index < request.submissions.length; index++) {
    results.push(await importRow(trx, principal, request, names, grid, index, seen));
  }
  return summariseImport(results, request.dryRun ?? false);
}
