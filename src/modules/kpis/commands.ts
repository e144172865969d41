import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { uuidv7 } from '../../db/uuid.js';
import { staleVersion } from '../../http/etag.js';
import type { Principal } from '../../http/plugins/auth.js';
import { assertNoErrors, conflict, HttpProblem, notFound } from '../../http/problem.js';
import { type ImportRowResult, summariseImport } from '../../http/schemas/import-summary.js';
import {
  type AuditEventInput,
  diffChanges,
  recordAuditEvent,
  recordAuditEvents,
} from '../audit/repository.js';
import { changedFields, type EventInput, recordEvents } from '../events/outbox.js';
import { loadLocks } from '../periods/locks.js';
import { definitionErrors, fixedFieldChanges } from './definition.js';
import { findKpis, hasValues, insertKpi, lockKpi, partnerCodes, updateKpi } from './repository.js';
import type { KpiDefinition, TargetInput, ValueInput } from './schemas.js';
import { listTargets, replaceTargets, validateTargets } from './targets.js';
import { checkValueRow, type ValueRow, valueKey } from './value-rows.js';
import { findExistingValues, type StoredValue, upsertValues } from './values-repository.js';

const kpiNotFound = (code: string) => notFound(`There is no KPI ${code}.`);

/** Defines a KPI and audits it; 409 when the code is taken. */
export async function createKpi(
  db: Db,
  principal: Principal,
  body: KpiDefinition & { code: string },
) {
  const { code, ...definition } = body;
  assertNoErrors(definitionErrors(definition, false), 'The KPI definition is invalid.');
  const created = await insertKpi(db, code, definition);
  if (!created) throw conflict(`A KPI ${code} exists already.`);
  await recordAuditEvent(db, {
    actor: principal,
    entity: 'kpi',
    entityId: code,
    action: 'created',
    changes: diffChanges({}, definition),
  });
  return created;
}

/**
 * Replaces a definition under its row lock. A built-in KPI keeps its computed fields (409
 * `computed-kpi-fixed`), and a measure with reported values cannot change.
 */
export async function replaceKpi(
  trx: Transaction<Database>,
  principal: Principal,
  code: string,
  body: KpiDefinition & { code?: string | undefined },
  expected: number | undefined,
) {
  const { code: bodyCode, ...definition } = body;
  if (bodyCode !== undefined && bodyCode !== code) {
    assertNoErrors([{ pointer: '/code', message: `must be ${code} (codes do not change)` }]);
  }
  const current = await lockKpi(trx, code);
  if (!current) throw kpiNotFound(code);
  if (expected !== undefined && expected !== current.version) {
    throw staleVersion(current.version);
  }
  assertNoErrors(definitionErrors(definition, current.builtIn), 'The KPI definition is invalid.');
  const fixed = fixedFieldChanges(current, definition);
  if (fixed.length > 0) {
    throw new HttpProblem({
      type: 'computed-kpi-fixed',
      detail: `${code} is computed by the service; its source, measure, cumulation and dimensions are fixed.`,
      errors: fixed,
    });
  }
  if (definition.measure !== current.measure && (await hasValues(trx, code))) {
    throw conflict(`The measure of ${code} cannot change: values were reported in it.`);
  }
  const updated = await updateKpi(trx, code, current.version, definition);
  if (!updated) throw staleVersion();
  await recordAuditEvent(trx, {
    actor: principal,
    entity: 'kpi',
    entityId: code,
    action: 'updated',
    changes: diffChanges(current, updated, [
      'name',
      'description',
      'resultLevel',
      'measure',
      'unit',
      'ascending',
      'source',
      'cumulation',
      'dimensions',
      'baseline',
      'endTarget',
    ]),
  });
  return updated;
}

/** Replaces a KPI's whole target set under the KPI's row lock; the audit row holds both sets. */
export async function replaceKpiTargets(
  trx: Transaction<Database>,
  principal: Principal,
  code: string,
  inputs: readonly TargetInput[],
  expected: number | undefined,
) {
  const kpi = await lockKpi(trx, code);
  if (!kpi) throw kpiNotFound(code);
  if (expected !== undefined && expected !== kpi.targetsVersion) {
    throw staleVersion(kpi.targetsVersion);
  }
  const { targets, errors } = validateTargets(inputs, kpi, await partnerCodes(trx));
  assertNoErrors(errors, `The targets of ${kpi.code} are invalid: ${errors.length} problem(s).`);
  const before = await listTargets(trx, kpi.code);
  const version = await replaceTargets(trx, kpi.code, targets);
  const after = await listTargets(trx, kpi.code);
  await recordAuditEvent(trx, {
    actor: principal,
    entity: 'kpiTargets',
    entityId: kpi.code,
    action: 'replaced',
    changes: diffChanges({ targets: before }, { targets: after }),
  });
  return { kpi: kpi.code, version, data: after, nextCursor: null };
}

/** Serialises imports, so that two at once cannot both classify a new row as created. */
const IMPORT_LOCK = 4_021_733_118;

/** The fields a reported value is compared and audited on. */
function amountOf(v: {
  value: number;
  numerator: number | null;
  denominator: number | null;
  comment: string | null;
  evidenceUrl: string | null;
}) {
  return {
    value: v.value,
    numerator: v.numerator,
    denominator: v.denominator,
    comment: v.comment,
    evidenceUrl: v.evidenceUrl,
  };
}

/**
 * Imports reported values: rows are independent (a failed row does not stop the others), each
 * is created, updated, unchanged or failed with its reasons; with dryRun nothing is written.
 * Set-based: one query for the KPIs, one for the existing values, one upsert, one audit insert.
 */
export async function importValues(
  trx: Transaction<Database>,
  inputs: readonly ValueInput[],
  principal: Principal,
  dryRun: boolean,
) {
  await sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`.execute(trx);
  const context = {
    kpis: await findKpis(trx, [...new Set(inputs.map((v) => v.kpi))]),
    partners: await partnerCodes(trx),
    locks: await loadLocks(trx),
    principal,
  };
  const results: ImportRowResult[] = [];
  const valid: { index: number; row: ValueRow }[] = [];
  const firstIndexOf = new Map<string, number>();
  inputs.forEach((input, index) => {
    const at = `/values/${index}`;
    const { row, errors, conflict } = checkValueRow(input, at, context);
    const key = row && valueKey({ ...row, period: row.period.code });
    const first = key === undefined ? undefined : firstIndexOf.get(key);
    if (!row || key === undefined || first !== undefined) {
      const duplicate = {
        pointer: at,
        message: `repeats the KPI, period, partner and disaggregation of /values/${first}`,
      };
      results[index] = {
        index,
        status: 'failed',
        errors: row ? [duplicate] : errors,
        ...(conflict ? { conflict } : {}),
      };
      return;
    }
    firstIndexOf.set(key, index);
    valid.push({ index, row });
  });

  const existing = new Map<string, StoredValue>();
  for (const stored of await findExistingValues(
    trx,
    valid.map((v) => v.row),
  )) {
    existing.set(valueKey(stored), stored);
  }
  const writes: (ValueRow & { id: string })[] = [];
  const events: AuditEventInput[] = [];
  const feed: EventInput[] = [];
  for (const { index, row } of valid) {
    const before = existing.get(valueKey({ ...row, period: row.period.code }));
    const changes = diffChanges(before ? amountOf(before) : {}, amountOf(row));
    if (before && Object.keys(changes).length === 0) {
      results[index] = { index, status: 'unchanged', id: before.id };
      continue;
    }
    const id = before?.id ?? uuidv7();
    results[index] = {
      index,
      status: before ? 'updated' : 'created',
      ...(dryRun && !before ? {} : { id }),
    };
    writes.push({ ...row, id });
    feed.push({
      type: 'kpi-value.recorded',
      partnerCode: row.partnerCode,
      subject: { kind: 'kpiValue', id },
      data: {
        kpi: row.kpiCode,
        period: row.period.code,
        disaggregation: row.disaggregation,
        created: !before,
        changedFields: changedFields(changes),
      },
      actor: principal,
    });
    events.push({
      actor: principal,
      entity: 'kpiValue',
      entityId: id,
      action: before ? 'updated' : 'created',
      partnerCode: row.partnerCode,
      changes: before
        ? changes
        : {
            ...diffChanges(
              {},
              { kpi: row.kpiCode, period: row.period.code, disaggregation: row.disaggregation },
            ),
            ...changes,
          },
    });
  }
  if (!dryRun) {
    await upsertValues(trx, writes, principal.id);
    await recordAuditEvents(trx, events);
    await recordEvents(trx, feed);
  }
  return summariseImport(results, dryRun);
}
