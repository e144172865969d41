import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { uuidv7 } from '../../db/uuid.js';
import type { Principal } from '../../http/plugins/auth.js';
import { type ImportRowResult, summariseImport } from '../../http/schemas/import-summary.js';
import { type AuditEventInput, diffChanges, recordAuditEvents } from '../audit/repository.js';
import { changedFields, type EventInput, recordEvents } from '../events/outbox.js';
import { loadLocks } from '../periods/locks.js';
import { findKpis, partnerCodes } from './repository.js';
import type { ValueInput } from './schemas.js';
import { checkValueRow, type ValueRow, valueKey } from './value-rows.js';
import { findExistingValues, type StoredValue, upsertValues } from './values-repository.js';

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
 * Run it inside the request's transaction.
 */
export async function importValues(
  db: Kysely<Database>,
  inputs: readonly ValueInput[],
  principal: Principal,
  dryRun: boolean,
) {
  await sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`.execute(db);
  const context = {
    kpis: await findKpis(db, [...new Set(inputs.map((v) => v.kpi))]),
    partners: await partnerCodes(db),
    locks: await loadLocks(db),
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
    db,
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
    await upsertValues(db, writes, principal.id);
    await recordAuditEvents(db, events);
    await recordEvents(db, feed);
  }
  return summariseImport(results, dryRun);
}
