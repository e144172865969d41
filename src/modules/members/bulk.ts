import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { staleVersion } from '../../http/etag.js';
import { type Principal, writerOf } from '../../http/plugins/auth.js';
import { assertNoErrors, type FieldError, HttpProblem, notFound } from '../../http/problem.js';
import { type ImportRowResult, summariseImport } from '../../http/schemas/import-summary.js';
import { choosePartner, partnerCodes } from './access.js';
import { applyUpserts, iceTaken, type UpsertOutcome } from './commands.js';
import { type MemberRow, storedText, type ValidMemberInput } from './document.js';
import { BulkRowSchema, NewMemberSchema } from './schemas.js';
import { lastChangedBy, planUpserts, type UpsertPlan, type UpsertRow } from './upsert.js';
import { documentValidator, phoneChecker } from './validation.js';

const validateRow = documentValidator(BulkRowSchema);
const validateReplacement = documentValidator(NewMemberSchema);

const pointed = (errors: FieldError[]) =>
  errors.map((e) => ({ pointer: e.pointer ?? '', message: e.message }));

/** Validates each row on its own; a row's errors point into `/members/{index}`. */
function checkRows(principal: Principal, rows: unknown[], known: ReadonlySet<string>) {
  const failures = new Map<number, FieldError[]>();
  const valid: { index: number; row: UpsertRow }[] = [];
  const seenRefs = new Map<string, number>();
  const seenIces = new Map<string, number>();
  const isPhone = phoneChecker();
  rows.forEach((raw, index) => {
    const base = `/members/${index}`;
    const errors = validateRow(raw, base, isPhone);
    const input = (raw ?? {}) as Record<string, unknown>;
    const partner = choosePartner(principal, input.partnerCode, known);
    if (partner.code === undefined)
      errors.push({ pointer: `${base}/partnerCode`, message: partner.message });
    if (errors.length === 0 && partner.code !== undefined) {
      const externalRef = input.externalRef as string;
      // As stored: refs that differ only by a lone surrogate are the same ref once written.
      const refKey = `${partner.code}/${storedText(externalRef)}`;
      const ice = typeof input.ice === 'string' ? input.ice : undefined;
      if (seenRefs.has(refKey))
        errors.push({
          pointer: `${base}/externalRef`,
          message: `repeats row ${seenRefs.get(refKey)}`,
        });
      else seenRefs.set(refKey, index);
      if (ice !== undefined && seenIces.has(ice))
        errors.push({
          pointer: `${base}/ice`,
          message: `repeats the ICE of row ${seenIces.get(ice)}`,
        });
      else if (ice !== undefined) seenIces.set(ice, index);
    }
    if (errors.length > 0) failures.set(index, errors);
    else
      valid.push({
        index,
        row: {
          partnerCode: partner.code as string,
          externalRef: input.externalRef as string,
          input: input as ValidMemberInput,
          ifMatch: typeof input.version === 'number' ? input.version : undefined,
        },
      });
  });
  return { failures, valid };
}

/** Why a planned row fails, if it does, and whether that is a conflict with what is stored. */
function planFailure(
  plan: UpsertPlan,
  principal: Principal,
  base: string,
): { errors: FieldError[]; conflict: boolean } | undefined {
  switch (plan.kind) {
    case 'invalid':
      return {
        errors: plan.errors.map((e) => ({ ...e, pointer: `${base}${e.pointer}` })),
        conflict: false,
      };
    case 'iceTaken': {
      // The ICE is a public identifier; the holder is named only to a caller who may see it.
      const visible =
        principal.role === 'admin' || plan.existingPartnerCode === principal.partnerCode;
      const message = visible
        ? `is registered already (member ${plan.existingMemberId})`
        : 'is registered already by a member of another partner';
      return { errors: [{ pointer: `${base}/ice`, message }], conflict: true };
    }
    case 'stale': {
      const message = plan.before
        ? `is not the current version (${plan.before.version}): read the member and merge`
        : 'names a version of a member that does not exist';
      return { errors: [{ pointer: `${base}/version`, message }], conflict: true };
    }
    case 'notYours':
      return { errors: [{ pointer: base, message: notYoursMessage(plan.before) }], conflict: true };
    default:
      return undefined;
  }
}

function notYoursMessage(before: MemberRow) {
  const by = lastChangedBy(before);
  const who = by ? `another ${by.role} ${by.kind}` : 'another credential';
  return (
    `version ${before.version} was written by ${who}: read the member, merge your changes ` +
    'and send them with its version (If-Match), so that nothing it wrote is lost'
  );
}

/** The result of a failed row: its errors, and what names the member it concerns. */
function failedResult(
  index: number,
  plan: UpsertPlan,
  failure: { errors: FieldError[]; conflict: boolean },
): ImportRowResult {
  const before = 'before' in plan ? plan.before : undefined;
  const by = plan.kind === 'notYours' ? lastChangedBy(plan.before) : null;
  return {
    index,
    status: 'failed',
    externalRef: storedText(plan.row.externalRef),
    ...(before ? { id: before.id, version: before.version } : {}),
    ...(by ? { lastChangedBy: by } : {}),
    errors: pointed(failure.errors),
    ...(failure.conflict ? { conflict: true } : {}),
  };
}

const externalRefOf = (raw: unknown) => {
  const ref = (raw as { externalRef?: unknown } | null)?.externalRef;
  return typeof ref === 'string' ? { externalRef: storedText(ref) } : {};
};

/** A written or unchanged row names its version; a dry run's update, only its member. */
function appliedResult(
  index: number,
  plan: Extract<UpsertPlan, { kind: 'created' | 'updated' | 'unchanged' }>,
  outcome: UpsertOutcome | undefined,
): ImportRowResult {
  // As stored, so that it names the member as reads return it.
  const externalRef = storedText(plan.row.externalRef);
  if (outcome) {
    const status = outcome.created ? 'created' : 'updated';
    return { index, status, id: outcome.id, externalRef, version: outcome.version };
  }
  if (plan.kind === 'created') return { index, status: 'created', externalRef };
  if (plan.kind === 'updated') return { index, status: 'updated', id: plan.id, externalRef };
  return { index, status: 'unchanged', id: plan.id, externalRef, version: plan.before.version };
}

/**
 * Creates or replaces up to 1,000 members by externalRef. Rows are independent: invalid rows
 * fail alone. Valid rows are read in one query and written in one insert … on conflict; with
 * `dryRun` nothing is written and the results say what would happen.
 */
export async function bulkUpsert(
  trx: Transaction<Database>,
  principal: Principal,
  rows: unknown[],
  dryRun: boolean,
) {
  const { failures, valid } = checkRows(principal, rows, await partnerCodes(trx));
  const plans = await planUpserts(
    trx,
    valid.map((v) => v.row),
    !dryRun,
    writerOf(principal),
  );
  const outcomes: Map<UpsertPlan, UpsertOutcome> = dryRun
    ? new Map()
    : await applyUpserts(trx, principal, plans);
  const results: ImportRowResult[] = rows.map((raw, index) => ({
    index,
    status: 'failed',
    ...externalRefOf(raw),
    errors: pointed(failures.get(index) ?? []),
  }));
  valid.forEach(({ index }, i) => {
    const plan = plans[i] as UpsertPlan;
    const failure = planFailure(plan, principal, `/members/${index}`);
    if (failure) results[index] = failedResult(index, plan, failure);
    else if (plan.kind === 'created' || plan.kind === 'updated' || plan.kind === 'unchanged')
      results[index] = appliedResult(index, plan, outcomes.get(plan));
  });
  return summariseImport(results, dryRun);
}

/**
 * PUT by externalRef: creates (201) or fully replaces (200) the partner's member. If-Match is
 * optional: when sent it must name the current version (412); when absent the update must be
 * of data this same credential wrote last, else 428 names who did (docs/sync.md).
 */
export async function replaceByExternalRef(
  trx: Transaction<Database>,
  principal: Principal,
  partnerCode: string,
  externalRef: string,
  body: unknown,
  ifMatch: number | '*' | undefined,
) {
  const known = await partnerCodes(trx);
  // Another partner's path is refused before this (403, src/http/plugins/auth.ts).
  if (!known.has(partnerCode)) throw notFound(`There is no partner ${partnerCode}.`);
  const errors = validateReplacement(body);
  const input = (body ?? {}) as Record<string, unknown>;
  if (input.partnerCode != null && input.partnerCode !== partnerCode)
    errors.push({
      pointer: '/partnerCode',
      message: `must be ${partnerCode}, as in the path, or absent`,
    });
  if (input.externalRef != null && input.externalRef !== externalRef)
    errors.push({
      pointer: '/externalRef',
      message: 'must be the externalRef of the path, or absent',
    });
  assertNoErrors(errors);
  const [plan] = await planUpserts(
    trx,
    [{ partnerCode, externalRef, input: input as ValidMemberInput, ifMatch }],
    true,
    writerOf(principal),
  );
  if (!plan) throw new Error('no plan for the row');
  if (plan.kind === 'stale') throw staleVersion(plan.before?.version);
  if (plan.kind === 'notYours') throw precondition(plan.before);
  if (plan.kind === 'iceTaken') throw iceTaken(String(input.ice), plan.existingMemberId);
  assertNoErrors(planFailure(plan, principal, '')?.errors ?? []);
  if (plan.kind === 'unchanged') return { row: plan.before, created: false };
  const outcome = (await applyUpserts(trx, principal, [plan], true)).get(plan);
  if (!outcome?.row) throw new Error('the upsert wrote nothing');
  return { row: outcome.row, created: outcome.created };
}

/** 428: the update needs If-Match because another credential wrote the current version. */
function precondition(before: MemberRow) {
  return new HttpProblem({
    type: 'precondition-required',
    detail: `This member's ${notYoursMessage(before)}.`,
    headers: { etag: `"${before.version}"` },
    extensions: { lastChangedBy: lastChangedBy(before), version: before.version },
  });
}
