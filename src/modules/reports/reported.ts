import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Cumulation, Dimension, Measure } from '../../db/tables/kpis.js';
import type { GroupFigure, Window } from './figures.js';

type Db = Kysely<Database>;

export interface ReportedKpi {
  code: string;
  measure: Measure;
  cumulation: Cumulation;
}

/**
 * Which reported values make a figure, per partner and disaggregation:
 * - `period` and `cumulative`: the values whose period lies in the window, except those
 *   covered by a coarser value also in it (a partner reporting 2025 and 2025Q1 counts 2025
 *   once; one reporting only quarters counts their sum);
 * - `snapshot`: the value of the period in the window that ends last (ties: the coarser).
 */
function chosenValues(
  kpi: ReportedKpi,
  window: Window,
  keys: readonly string[],
  partner: string | null,
) {
  const inWindow = (alias: string) =>
    sql`${sql.ref(`${alias}.period_start`)} >= ${window.from}::date
      and ${sql.ref(`${alias}.period_end`)} <= ${window.end}::date`;
  const base = sql`
    v.kpi_code = ${kpi.code} and ${inWindow('v')}
    ${partner === null ? sql`` : sql`and v.partner_code = ${partner}`}
    and (select coalesce(array_agg(k order by k), '{}') from jsonb_object_keys(v.disaggregation) k)
      = ${[...keys].sort()}::text[]`;
  if (kpi.cumulation === 'snapshot') {
    return sql`(select distinct on (v.partner_code, v.disaggregation) v.*
      from kpi_values v where ${base}
      order by v.partner_code, v.disaggregation, v.period_end desc, v.period_start)`;
  }
  return sql`(select v.* from kpi_values v where ${base}
    and not exists (select 1 from kpi_values c
      where c.kpi_code = v.kpi_code and c.partner_code = v.partner_code
        and c.disaggregation = v.disaggregation and c.id <> v.id and ${inWindow('c')}
        and c.period_start <= v.period_start and c.period_end >= v.period_end))`;
}

/**
 * A reported KPI's figures for the window: sums across partners (percentages: Σ numerators /
 * Σ denominators × 100). `dims` are the breakdown asked for; the values used are those
 * reported with exactly those dimensions (besides the partner, which every value has).
 */
export async function reportedFigures(
  db: Db,
  kpi: ReportedKpi,
  window: Window,
  dims: readonly Dimension[],
  partner: string | null,
): Promise<GroupFigure[]> {
  const keys = dims.filter((d) => d !== 'partner');
  const byPartner = partner !== null || dims.includes('partner');
  const groups = [
    ...(byPartner ? [sql`c.partner_code`] : []),
    ...keys.map((k) => sql`c.disaggregation -> ${k}`),
  ];
  // Grouped by position: the jsonb key is a bound parameter, twice it would be two expressions.
  const result = await sql<Record<string, unknown>>`
    select ${sql.join([
      ...groups.map((g, i) => sql`${g} as ${sql.ref(`d${i}`)}`),
      sql`sum(c.value)::float8 as total`,
      sql`sum(c.numerator)::float8 as numerator`,
      sql`sum(c.denominator)::float8 as denominator`,
      sql`count(*)::int as rows`,
      sql`count(c.numerator)::int as fractions`,
      sql`min(c.value)::float8 as single`,
    ])}
    from ${chosenValues(kpi, window, keys, partner)} c
    ${groups.length > 0 ? sql`group by ${sql.raw(groups.map((_, i) => i + 1).join(', '))}` : sql``}`.execute(
    db,
  );
  const names: Dimension[] = [...(byPartner ? (['partner'] as const) : []), ...keys];
  return result.rows
    .filter((row) => Number(row.rows) > 0)
    .map((row) => ({
      disaggregation: Object.fromEntries(
        names.map((d, i) => [d, row[`d${i}`] as string | boolean]),
      ),
      actual: combine(kpi.measure, row),
    }));
}

/**
 * Units add up. A percentage is Σ numerators / Σ denominators × 100 when every value has its
 * parts, the value itself when there is one; a mix cannot be combined honestly (null). A
 * qualitative score is shown only when there is one.
 */
function combine(measure: Measure, row: Record<string, unknown>): number | null {
  const rows = Number(row.rows);
  if (measure === 'unit') return Number(row.total);
  if (measure === 'percentage' && Number(row.fractions) === rows && Number(row.denominator) > 0)
    return (Number(row.numerator) / Number(row.denominator)) * 100;
  return rows === 1 ? Number(row.single) : null;
}
