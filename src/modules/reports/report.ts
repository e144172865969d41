import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Disaggregation } from '../../db/tables/kpi-targets.js';
import type { Dimension } from '../../db/tables/kpis.js';
import { DIMENSIONS, disaggregationKey } from '../kpis/dimensions.js';
import { toKpi } from '../kpis/repository.js';
import type { Kpi } from '../kpis/schemas.js';
import type { Period } from '../periods/period.js';
import { computedFigures, isComputable } from './computed.js';
import { type GroupFigure, windowOf } from './figures.js';
import { reportedFigures } from './reported.js';
import type { ReportRequest } from './request.js';

type Db = Kysely<Database>;

export interface ReportRow {
  kpi: string;
  period: string;
  disaggregation: Disaggregation;
  baseline: number | null;
  target: number | null;
  actual: number | null;
  achievement: number | null;
}

export interface ReportKpi extends Kpi {
  /** The requested dimensions this KPI allows: its rows are broken down by these. */
  by: Dimension[];
}

export interface Report {
  periods: { period: string; start: string; end: string }[];
  by: Dimension[];
  partner: string | null;
  kpis: ReportKpi[];
  rows: ReportRow[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** actual / target × 100 when more is better, target / actual × 100 when less is; else null. */
export function achievement(
  kpi: Pick<Kpi, 'ascending'>,
  target: number | null,
  actual: number | null,
) {
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
  for (const t of rows)
    targets.set(`${t.kpiCode}|${t.period}|${disaggregationKey(t.disaggregation)}`, t.value);
  return targets;
}

async function figuresOf(
  db: Db,
  kpi: Kpi,
  period: Period,
  by: Dimension[],
  partner: string | null,
  programmeStart: string,
) {
  const window = windowOf(period, kpi.cumulation, programmeStart);
  if (kpi.source === 'computed') {
    if (!isComputable(kpi.code)) return [];
    return computedFigures(db, kpi.code, window, by, partner);
  }
  const total = await reportedFigures(db, kpi, window, [], partner);
  const breakdown = by.length > 0 ? await reportedFigures(db, kpi, window, by, partner) : [];
  return [...total, ...breakdown];
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
  if (!byKey.has(totalKey)) byKey.set(totalKey, { disaggregation: totalOf, actual: empty });
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
        byKey.set(key.slice(prefix.length), { disaggregation, actual: empty });
    }
  }
  const ordered = [...byKey.entries()].sort(([a], [b]) =>
    a === totalKey ? -1 : b === totalKey ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return ordered.map(([key, figure]) => {
    const target = targets.get(`${kpi.code}|${period.code}|${key}`) ?? null;
    const actual =
      figure.actual === null || Number.isInteger(figure.actual)
        ? figure.actual
        : round2(figure.actual);
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

/** Computes the report: one aggregate query per KPI and period (and two for reported KPIs). */
export async function buildReport(
  db: Db,
  request: ReportRequest,
  programmeStart: string,
): Promise<Report> {
  const kpis = (await loadKpis(db, request.kpiCodes)).map((kpi) => ({
    ...kpi,
    // In the canonical order, so that rows and CSV columns read the same whatever `by` said.
    by: DIMENSIONS.filter((d) => request.by.includes(d) && kpi.dimensions.includes(d)),
  }));
  const targets = await loadTargets(db, kpis, request.periods);
  const jobs = kpis.flatMap((kpi) =>
    request.periods.map(async (period) => {
      const figures = await figuresOf(db, kpi, period, kpi.by, request.partner, programmeStart);
      return rowsOf(kpi, period, figures, request.partner, targets);
    }),
  );
  const rows = (await Promise.all(jobs)).flat();
  return {
    periods: request.periods.map((p) => ({ period: p.code, start: p.start, end: p.end })),
    by: request.by,
    partner: request.partner,
    kpis,
    rows,
  };
}
