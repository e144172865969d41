import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Dimension } from '../../db/tables/kpis.js';
import { finiteOrNull } from '../../http/schemas/numbers.js';
import { toKpi } from '../kpis/repository.js';
import type { Kpi } from '../kpis/schemas.js';
import { type Period, type PeriodKind, subPeriods } from '../periods/period.js';
import { computedStatement, type FigureQuery, isComputable } from './computed.js';
import { allSubsets, type GroupFigure, inDimensionOrder } from './figures.js';
import { reportedStatement } from './reported.js';

/**
 * Frozen figures (docs/kpis.md → Locked periods). A lock for all partners stores, in its own
 * transaction, every KPI's figures for its period and the quarters and months inside it, for
 * every combination of the KPI's dimensions (the partner always among them, for
 * partner-filtered reports); reports of those periods read them instead of the live records.
 */

/** The statement of a KPI's figures for the query, or undefined when nothing computes it. */
export function figureStatement(kpi: Kpi, q: FigureQuery): RawBuilder<unknown> | undefined {
  if (kpi.source === 'reported') return reportedStatement(kpi, q);
  return isComputable(kpi.code) ? computedStatement(kpi.code, q) : undefined;
}

/** The sorted keys of a disaggregation, as the `dimensions` column stores them. */
export const keysOf = (dims: readonly string[]) => [...dims].sort().join(',');

const KINDS: PeriodKind[] = ['year', 'quarter', 'month'];

/** The lock's period and those of finer kinds inside it, by kind (each run contiguous). */
function frozenRuns(period: Period): Period[][] {
  return KINDS.slice(KINDS.indexOf(period.kind)).map((kind) => subPeriods(period, kind));
}

/** Computes and stores the figures of a lock for all partners; stamps the lock `frozenAt`. */
export async function freezeFigures(
  trx: Db,
  lock: { id: string; period: Period },
  programmeStart: string,
): Promise<string> {
  const kpis = (await trx.selectFrom('kpis').selectAll().orderBy('code').execute()).map(toKpi);
  for (const kpi of kpis) {
    const dims: Dimension[] = [...new Set<Dimension>(['partner', ...kpi.dimensions])];
    for (const periods of frozenRuns(lock.period)) {
      const statement = figureStatement(kpi, {
        periods,
        sets: allSubsets(dims),
        partner: null,
        programmeStart,
      });
      if (!statement) continue;
      await sql`insert into kpi_frozen_figures
          (lock_id, kpi_code, period, dimensions, disaggregation, actual)
        select ${lock.id}, ${kpi.code}, q.period,
          coalesce((select string_agg(k, ',' order by k) from jsonb_object_keys(q.disaggregation) k), ''),
          q.disaggregation,
          case when q.actual::numeric between -1e300 and 1e300 then q.actual::float8 end
        from (${statement}) q`.execute(trx);
    }
  }
  const stamped = await trx
    .updateTable('periodLocks')
    .set({ frozenAt: sql`now()` })
    .where('id', '=', lock.id)
    .returning('frozenAt')
    .executeTakeFirstOrThrow();
  return stamped.frozenAt ?? '';
}

/** A period of a report that a lock for all partners covers. */
export interface PeriodLockState {
  lockId: string;
  /** When its figures were frozen; null for a lock older than frozen figures (read live). */
  frozenAt: string | null;
}

/**
 * For each period, the earliest lock for all partners that contains it (its figures were frozen
 * first), if any.
 */
export async function locksOf(db: Db, periods: readonly Period[]) {
  const first = periods[0];
  const last = periods[periods.length - 1];
  const states = new Map<string, PeriodLockState>();
  if (!first || !last) return states;
  const locks = await db
    .selectFrom('periodLocks')
    .select(['id', 'periodStart', 'periodEnd', 'frozenAt', 'createdAt'])
    .where('partnerCode', 'is', null)
    .where('periodStart', '<=', last.end)
    .where('periodEnd', '>=', first.start)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
  for (const period of periods) {
    const lock = locks.find((l) => l.periodStart <= period.start && period.end <= l.periodEnd);
    if (lock) states.set(period.code, { lockId: lock.id, frozenAt: lock.frozenAt });
  }
  return states;
}

/**
 * The frozen figures of the KPIs for the periods (each from its own lock), of the groupings
 * with exactly the keys given; with `partner`, that partner's only.
 */
export async function readFrozenFigures(
  db: Db,
  kpiCodes: readonly string[],
  locked: ReadonlyMap<string, PeriodLockState>,
  groupings: readonly (readonly string[])[],
  partner: string | null,
): Promise<Map<string, GroupFigure[]>> {
  const byKpi = new Map<string, GroupFigure[]>();
  const pairs = [...locked.entries()].filter(([, s]) => s.frozenAt !== null);
  if (pairs.length === 0 || kpiCodes.length === 0) return byKpi;
  let query = db
    .selectFrom('kpiFrozenFigures')
    .select(['kpiCode', 'period', 'disaggregation', 'actual'])
    .where(
      sql<boolean>`(lock_id, period) in (select * from unnest(
        ${pairs.map(([, s]) => s.lockId)}::uuid[], ${pairs.map(([p]) => p)}::text[]))`,
    )
    .where('dimensions', 'in', [...new Set(groupings.map(keysOf))])
    .where('kpiCode', 'in', kpiCodes);
  if (partner !== null) query = query.where(sql<boolean>`disaggregation->>'partner' = ${partner}`);
  for (const row of await query.execute()) {
    const list = byKpi.get(row.kpiCode) ?? [];
    list.push({
      period: row.period,
      disaggregation: inDimensionOrder(row.disaggregation),
      actual: finiteOrNull(row.actual),
    });
    byKpi.set(row.kpiCode, list);
  }
  return byKpi;
}
