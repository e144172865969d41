import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { staleVersion } from '../../http/etag.js';
import type { Principal } from '../../http/plugins/auth.js';
import { assertNoErrors, conflict, HttpProblem, notFound } from '../../http/problem.js';
import { diffChanges, recordAuditEvent } from '../audit/repository.js';
import { definitionErrors, fixedFieldChanges } from './definition.js';
import { findKpi, hasValues, insertKpi, partnerCodes, updateKpi } from './repository.js';
import type { KpiDefinition, TargetInput } from './schemas.js';
import { listTargets, replaceTargets, validateTargets } from './targets.js';

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
  const current = await findKpi(trx, code, true);
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
  const kpi = await findKpi(trx, code, true);
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
