import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Principal } from '../../http/auth.js';
import { staleVersion } from '../../http/etag.js';
import { type ImportRowResult, summariseImport } from '../../http/import-summary.js';
import { assertNoErrors, type FieldError, notFound } from '../../http/problem.js';
import { choosePartner, partnerCodes } from './access.js';
import { iceTaken } from './commands.js';
import { storedText, type ValidMemberInput } from './document.js';
import { BulkRowSchema, NewMemberSchema } from './schemas.js';
import { applyUpserts, planUpserts, type UpsertPlan, type UpsertRow } from './upsert.js';
import { documentValidator, phoneChecker } from './validation.js';

type Db = Kysely<Database>;

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
        },
      });
  });
  return { failures, valid };
}

function planErrors(plan: UpsertPlan, principal: Principal, base: string): FieldError[] {
  if (plan.kind === 'invalid')
    return plan.errors.map((e) => ({ ...e, pointer: `${base}${e.pointer}` }));
  if (plan.kind !== 'iceTaken') return [];
  // The ICE is a public identifier; the holder is named only to a caller who may see it.
  const visible = principal.role === 'admin' || plan.existingPartnerCode === principal.partnerCode;
  const message = visible
    ? `is registered already (member ${plan.existingMemberId})`
    : 'is registered already by a member of another partner';
  return [{ pointer: `${base}/ice`, message }];
}

/**
 * Creates or replaces up to 1,000 members by externalRef. Rows are independent: invalid rows
 * fail alone. Valid rows are read in one query and written in one insert … on conflict; with
 * `dryRun` nothing is written and the results say what would happen.
 */
export async function bulkUpsert(db: Db, principal: Principal, rows: unknown[], dryRun: boolean) {
  const { failures, valid } = checkRows(principal, rows, await partnerCodes(db));
  const plans = await planUpserts(
    db,
    valid.map((v) => v.row),
    !dryRun,
  );
  const outcomes = dryRun ? new Map() : await applyUpserts(db, principal, plans);
  const results: ImportRowResult[] = rows.map((_, index) => ({
    index,
    status: 'failed',
    errors: pointed(failures.get(index) ?? []),
  }));
  valid.forEach(({ index }, i) => {
    const plan = plans[i] as UpsertPlan;
    const errors = planErrors(plan, principal, `/members/${index}`);
    if (errors.length > 0) results[index] = { index, status: 'failed', errors: pointed(errors) };
    else if (plan.kind === 'created' || plan.kind === 'updated' || plan.kind === 'unchanged') {
      const outcome = outcomes.get(plan);
      const status = outcome ? (outcome.created ? 'created' : 'updated') : plan.kind;
      const id = outcome?.id ?? (plan.kind === 'created' ? undefined : plan.id);
      results[index] = { index, status, ...(id ? { id } : {}) };
    }
  });
  return summariseImport(results, dryRun);
}

/**
 * PUT by externalRef: creates (201) or fully replaces (200) the partner's member. The partner
 * system owns these records, so If-Match is optional here; when sent it must match (412).
 */
export async function replaceByExternalRef(
  db: Db,
  principal: Principal,
  partnerCode: string,
  externalRef: string,
  body: unknown,
  expected: number | undefined | 'absent',
) {
  const known = await partnerCodes(db);
  const ownsIt = principal.role !== 'partner' || principal.partnerCode === partnerCode;
  if (!known.has(partnerCode) || !ownsIt) throw notFound(`There is no partner ${partnerCode}.`);
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
    db,
    [{ partnerCode, externalRef, input: input as ValidMemberInput }],
    true,
  );
  if (!plan) throw new Error('no plan for the row');
  if (expected !== 'absent') {
    const current = 'before' in plan ? plan.before.version : undefined;
    if (current === undefined || (expected !== undefined && current !== expected))
      throw staleVersion(current);
  }
  if (plan.kind === 'iceTaken') throw iceTaken(String(input.ice), plan.existingMemberId);
  assertNoErrors(planErrors(plan, principal, ''));
  if (plan.kind === 'unchanged') return { row: plan.before, created: false };
  const outcome = (await applyUpserts(db, principal, [plan], true)).get(plan);
  if (!outcome?.row) throw new Error('the upsert wrote nothing');
  return { row: outcome.row, created: outcome.created };
}
