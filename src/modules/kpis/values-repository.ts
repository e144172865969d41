import { type Selectable, sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { KpiValuesTable } from '../../db/tables/kpi-values.js';
import { finiteOrNull } from '../../http/schemas/numbers.js';
import type { Period } from '../periods/period.js';
import type { ValueRow } from './value-rows.js';

export type StoredValue = Selectable<KpiValuesTable>;

/** The API's view of a stored value. */
export function toValueResource(v: StoredValue) {
  return {
    id: v.id,
    kpi: v.kpiCode,
    period: v.period,
    start: v.periodStart,
    end: v.periodEnd,
    partnerCode: v.partnerCode,
    disaggregation: v.disaggregation,
    value: finiteOrNull(v.value),
    numerator: finiteOrNull(v.numerator),
    denominator: finiteOrNull(v.denominator),
    comment: v.comment,
    evidenceUrl: v.evidenceUrl,
    version: v.version,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  };
}

/** The stored values with the same identities as the rows, in one query. */
export async function findExistingValues(db: Db, rows: readonly ValueRow[]) {
  if (rows.length === 0) return [];
  const keys = JSON.stringify(
    rows.map((r) => ({
      kpi_code: r.kpiCode,
      period: r.period.code,
      partner_code: r.partnerCode,
      disaggregation: r.disaggregation,
    })),
  );
  return db
    .selectFrom('kpiValues')
    .selectAll()
    .where(
      sql<boolean>`(kpi_code, period, partner_code, disaggregation) in (
        select * from jsonb_to_recordset(${keys}::jsonb)
          as k(kpi_code text, period text, partner_code text, disaggregation jsonb))`,
    )
    .execute();
}

/** Inserts new values and updates changed ones in one statement. */
export async function upsertValues(
  db: Db,
  rows: readonly (ValueRow & { id: string })[],
  actorId: string | null,
) {
  if (rows.length === 0) return;
  await db
    .insertInto('kpiValues')
    .values(
      rows.map((r) => ({
        id: r.id,
        kpiCode: r.kpiCode,
        period: r.period.code,
        periodStart: r.period.start,
        periodEnd: r.period.end,
        partnerCode: r.partnerCode,
        disaggregation: JSON.stringify(r.disaggregation),
        value: r.value,
        numerator: r.numerator,
        denominator: r.denominator,
        comment: r.comment,
        evidenceUrl: r.evidenceUrl,
        createdBy: actorId,
        updatedBy: actorId,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['kpiCode', 'period', 'partnerCode', 'disaggregation']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        numerator: eb.ref('excluded.numerator'),
        denominator: eb.ref('excluded.denominator'),
        comment: eb.ref('excluded.comment'),
        evidenceUrl: eb.ref('excluded.evidenceUrl'),
        updatedBy: eb.ref('excluded.updatedBy'),
        version: sql`kpi_values.version + 1`,
        updatedAt: sql`now()`,
      })),
    )
    .execute();
}

export interface ValueFilter {
  kpi?: string | undefined;
  /** Values whose period lies within this one. */
  within?: Period | undefined;
  partnerCode?: string | undefined;
}

export async function listValues(db: Db, filter: ValueFilter, limit: number, afterId?: string) {
  let query = db
    .selectFrom('kpiValues')
    .selectAll()
    .orderBy('id')
    .limit(limit + 1);
  if (filter.kpi !== undefined) query = query.where('kpiCode', '=', filter.kpi);
  if (filter.partnerCode !== undefined) query = query.where('partnerCode', '=', filter.partnerCode);
  if (filter.within) {
    query = query
      .where('periodStart', '>=', filter.within.start)
      .where('periodEnd', '<=', filter.within.end);
  }
  if (afterId !== undefined) query = query.where('id', '>', afterId);
  return query.execute();
}

export function findValue(db: Db, id: string) {
  return db.selectFrom('kpiValues').selectAll().where('id', '=', id).executeTakeFirst();
}
