import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Disaggregation } from '../../db/tables/kpi-targets.js';
import type { Dimension } from '../../db/tables/kpis.js';
import { finiteOrNull } from '../../http/schemas/numbers.js';
import { DIMENSIONS, disaggregationKey } from '../kpis/dimensions.js';
import { toKpi } from '../kpis/repository.js';
import type { Kpi } from '../kpis/schemas.js';
import type { Period } from '../periods/period.js';
import { isComputable } from './computed.js';
import { type GroupFigure, inDimensionOrder } from './figures.js';
import { figureStatement, keysOf, locksOf, readFrozenFigures } from './frozen.js';
import type { ReportRequest } from './request.js';

export interface ReportRow {
  kpi: string;
  period: string;
  disaggregation: Disaggregation;
  baseline: number | null;
  target: number | null;
  actual: number | null;
  achievement: number | null;
  /** With `live=true`: the figure computed now (differs from `actual` when a frozen one drifted). */
  liveActual?: number | null;
}

export interface ReportKpi extends Kpi {
  /** The requested dimensions this KPI allows: its rows are broken down by these. */
  by: Dimension[];
}

export interface Report {
  periods: {
    period: string;
    start: string;
    end: string;
    locked: boolean;
    frozenAt: string | null;
  }[];
  by: Dimension[];
  partner: string | null;
  kpis: ReportKpi[];
  rows: ReportRow[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const roundActual = (x: number | null) => (x === null || Number.isInteger(x) ? x : round2(x));

/** actual / target × 100 when more is better, target / actual × 100 when less is; else null. */
function achievement(kpi: Pick<Kpi, 'ascending'>, target: number | null, actual: number | null) {
  if (target === null || actual === null) return null;
  const [num, den] = kpi.ascending ? [actual, target] : [target, actual];
  return den === 0 ? null : round2((num / den) * 100);
}

async function loadKpis(db: Db, codes: readonly string[]): Promise<Kpi[]> {
  let query = db.selectFrom('kpis').selectAll().orderBy('code');
  if (codes.length > 0) query = query.where('code', 'in', codes);
  const kpis = (await query.execute()).map(toKpi);
  if (codes.length === 0) return kpis;
  return codes.flatMap((code) => kpis.filter((k) => k.code === code));
}

async function loadTargets(db: Db, kpis: readonly Kpi[], periods: readonly Period[]) {
  const targets = new Map<string, number>();
  if (kpis.length === 0) return targets;
  const rows = await db
    .selectFrom('kpiTargets')
    .select(['kpiCode', 'period', 'disaggregation', 'value'])
    .where(
      'kpiCode',
      'in',
      kpis.map((k) => k.code),
    )
    .where(
      'period',
      'in',
      periods.map((p) => p.code),
    )
    .execute();
  for (const t of rows) {
    const value = finiteOrNull(t.value);
    if (value !== null)
      targets.set(`${t.kpiCode}|${t.period}|${disaggregationKey(t.disaggregation)}`, value);
  }
  return targets;
}

const sameKeys = (d: Disaggregation, keys: readonly string[]) => {
  const own = Object.keys(d);
  return own.length === keys.length && keys.every((k) => k in d);
};

/**
 * The figures of a KPI for a period as report rows: the total first (with a partner filter,
 * the partner's figure), then one row per group, plus a row for every target of a group that
 * has no figure (actual 0 for a computed KPI, nothing counted; null for a reported one).
 */
function rowsOf(
  kpi: ReportKpi,
  period: Period,
  figures: GroupFigure[],
  partner: string | null,
  targets: Map<string, number>,
): ReportRow[] {
  const empty = kpi.source === 'computed' && isComputable(kpi.code) ? 0 : null;
  const totalOf: Disaggregation = partner === null ? {} : { partner };
  const breakdownKeys = [...new Set([...Object.keys(totalOf), ...kpi.by])];
  const byKey = new Map<string, GroupFigure>();
  for (const figure of figures) byKey.set(disaggregationKey(figure.disaggregation), figure);
  const totalKey = disaggregationKey(totalOf);
  if (!byKey.has(totalKey))
    byKey.set(totalKey, { period: period.code, disaggregation: totalOf, actual: empty });
  if (breakdownKeys.length > Object.keys(totalOf).length) {
    const prefix = `${kpi.code}|${period.code}|`;
    for (const [key] of targets) {
      if (!key.startsWith(prefix)) continue;
      const disaggregation = JSON.parse(key.slice(prefix.length)) as Disaggregation;
      const inScope = partner === null || disaggregation.partner === partner;
      if (
        inScope &&
        sameKeys(disaggregation, breakdownKeys) &&
        !byKey.has(key.slice(prefix.length))
      )
        byKey.set(key.slice(prefix.length), { period: period.code, disaggregation, actual: empty });
    }
  }
  const ordered = [...byKey.entries()].sort(([a], [b]) =>
    a === totalKey ? -1 : b === totalKey ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return ordered.map(([key, figure]): ReportRow => {
    const target = targets.get(`${kpi.code}|${period.code}|${key}`) ?? null;
    const actual = roundActual(figure.actual);
    return {
      kpi: kpi.code,
      period: period.code,
      disaggregation: figure.disaggregation,
      // The baseline is a programme-wide figure: it belongs to the programme total only.
      baseline: key === '{}' ? (kpi.baseline?.value ?? null) : null,
      target,
      actual,
      achievement: achievement(kpi, target, actual),
    };
  });
}

export interface ReportOptions {
  programmeStart: string;
  /** Also compute the live figures of locked periods (`liveActual`, admin only). */
  live: boolean;
}

/** A KPI's live figures for a contiguous run of periods, both groupings in one statement. */
async function liveFigures(
  db: Db,
  kpi: ReportKpi,
  periods: readonly Period[],
  partner: string | null,
  programmeStart: string,
): Promise<GroupFigure[]> {
  const fixed: Dimension[] = partner === null ? [] : ['partner'];
  const breakdown = [...fixed, ...kpi.by.filter((d) => !fixed.includes(d))];
  const sets = breakdown.length > fixed.length ? [fixed, breakdown] : [fixed];
  const statement = figureStatement(kpi, { periods, sets, partner, programmeStart });
  if (!statement || periods.length === 0) return [];
  const result = await sql<{
    period: string;
    disaggregation: Disaggregation;
    actual: unknown;
  }>`${statement}`.execute(db);
  return result.rows.map((row) => ({
    period: row.period,
    disaggregation: inDimensionOrder(row.disaggregation),
    actual: finiteOrNull(row.actual),
  }));
}

/** The groupings of a KPI's rows: the total's keys and the breakdown's. */
function groupingsOf(kpi: ReportKpi, partner: string | null): string[][] {
  const fixed: Dimension[] = partner === null ? [] : ['partner'];
  return [fixed, [...new Set([...fixed, ...kpi.by])]];
}

/** The shortest contiguous run of periods holding all of `wanted`. */
function runCovering(periods: readonly Period[], wanted: (p: Period) => boolean): Period[] {
  const first = periods.findIndex(wanted);
  if (first < 0) return [];
  const last = periods.length - 1 - [...periods].reverse().findIndex(wanted);
  return periods.slice(first, last + 1);
}

const byPeriod = (figures: readonly GroupFigure[]) => {
  const map = new Map<string, GroupFigure[]>();
  for (const f of figures) map.set(f.period, [...(map.get(f.period) ?? []), f]);
  return map;
};

/**
 * Computes the report on one snapshot (call it inside readSnapshot): one statement per KPI
 * covering every period and both groupings; a locked period's figures are read from those
 * frozen at its lock, and with `live` computed again beside them (`liveActual`).
 */
export async function buildReport(
  db: Db,
  request: ReportRequest,
  options: ReportOptions,
): Promise<Report> {
  const kpis = (await loadKpis(db, request.kpiCodes)).map((kpi) => ({
    ...kpi,
    // In the canonical order, so that rows and CSV columns read the same whatever `by` said.
    by: DIMENSIONS.filter((d) => request.by.includes(d) && kpi.dimensions.includes(d)),
  }));
  const targets = await loadTargets(db, kpis, request.periods);
  const locks = await locksOf(db, request.periods);
  const frozenAt = (period: Period) => locks.get(period.code)?.frozenAt ?? null;
  const groupings = [
    ...new Set(kpis.flatMap((k) => groupingsOf(k, request.partner)).map((g) => g.join(','))),
  ].map((g) => (g === '' ? [] : g.split(',')));
  const frozen = await readFrozenFigures(
    db,
    kpis.map((k) => k.code),
    locks,
    groupings,
    request.partner,
  );
  const rows: ReportRow[] = [];
  for (const kpi of kpis) {
    // A KPI defined after a lock has no frozen figures for it: its figures stay live.
    const isFrozen = (p: Period) => {
      const at = frozenAt(p);
      return at !== null && kpi.createdAt <= at;
    };
    const needLive = runCovering(request.periods, (p) => options.live || !isFrozen(p));
    const live = byPeriod(
      await liveFigures(db, kpi, needLive, request.partner, options.programmeStart),
    );
    const own = new Set(groupingsOf(kpi, request.partner).map(keysOf));
    const kept = byPeriod(
      (frozen.get(kpi.code) ?? []).filter((f) => own.has(keysOf(Object.keys(f.disaggregation)))),
    );
    for (const period of request.periods) {
      const figures = (isFrozen(period) ? kept : live).get(period.code) ?? [];
      const periodRows = rowsOf(kpi, period, figures, request.partner, targets);
      if (options.live) addLiveActuals(kpi, periodRows, live.get(period.code) ?? []);
      rows.push(...periodRows);
    }
  }
  return {
    periods: request.periods.map((p) => ({
      period: p.code,
      start: p.start,
      end: p.end,
      locked: locks.has(p.code),
      frozenAt: frozenAt(p),
    })),
    by: request.by,
    partner: request.partner,
    kpis,
    rows,
  };
}

/** `liveActual` of each row: the figure computed now from the records (drift of a locked one). */
function addLiveActuals(kpi: ReportKpi, rows: ReportRow[], live: readonly GroupFigure[]) {
  const empty = kpi.source === 'computed' && isComputable(kpi.code) ? 0 : null;
  const byKey = new Map(live.map((f) => [disaggregationKey(f.disaggregation), f.actual]));
  for (const row of rows)
    row.liveActual = roundActual(byKey.get(disaggregationKey(row.disaggregation)) ?? empty);
}
