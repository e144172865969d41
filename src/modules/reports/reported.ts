import { type RawBuilder, sql } from 'kysely';
import type { Cumulation, Dimension, Measure } from '../../db/tables/kpis.js';
import type { FigureQuery } from './computed.js';
import { dimensionsOf, disaggregationOf, groupingSets, periodsRelation } from './figures.js';

export interface ReportedKpi {
  code: string;
  measure: Measure;
  cumulation: Cumulation;
}

/**
 * Which reported values make a figure, per period, partner and disaggregation:
 * - `period` and `cumulative`: the values whose period lies in the window, except those
 *   covered by a coarser value also in it (a partner reporting 2025 and 2025Q1 counts 2025
 *   once; one reporting only quarters counts their sum);
 * - `snapshot`: the value of the period in the window that ends last (ties: the coarser).
 * `keyset` is the value's dimensions (sorted, comma-separated): a grouping reads only the
 * values reported with exactly its dimensions (besides the partner, which every value has).
 */
function chosenValues(kpi: ReportedKpi, q: FigureQuery, keysets: readonly string[]) {
  const keyset = (alias: string) =>
    sql`coalesce((select string_agg(k, ',' order by k) from jsonb_object_keys(${sql.ref(
      `${alias}.disaggregation`,
    )}) k), '')`;
  const inWindow = (alias: string) =>
    sql`${sql.ref(`${alias}.period_start`)} >= p.from_day and ${sql.ref(`${alias}.period_end`)} <= p.e`;
  const base = sql`from p join kpi_values v on v.kpi_code = ${kpi.code} and ${inWindow('v')}
    ${q.partner === null ? sql`` : sql`and v.partner_code = ${q.partner}`}
    and ${keyset('v')} in (${sql.join(keysets)})`;
  const columns = sql`p.code as period, v.partner_code, v.disaggregation, ${keyset('v')} as keyset,
    v.value, v.numerator, v.denominator`;
  if (kpi.cumulation === 'snapshot') {
    return sql`select distinct on (p.code, v.partner_code, v.disaggregation) ${columns} ${base}
      order by p.code, v.partner_code, v.disaggregation, v.period_end desc, v.period_start`;
  }
  return sql`select ${columns} ${base}
    where not exists (select 1 from kpi_values c
      where c.kpi_code = v.kpi_code and c.partner_code = v.partner_code
        and c.disaggregation = v.disaggregation and c.id <> v.id and ${inWindow('c')}
        and c.period_start <= v.period_start and c.period_end >= v.period_end)`;
}

/**
 * Units add up. A percentage is Σ numerators / Σ denominators × 100 when every value has its
 * parts, the value itself when there is one; a mix cannot be combined honestly (null). A
 * qualitative score is shown only when there is one. Sums are `numeric`: they cannot overflow.
 */
function combined(measure: Measure) {
  if (measure === 'unit') return sql`sum(c.value::numeric)`;
  const single = sql`case when count(*) = 1 then min(c.value::numeric) end`;
  if (measure === 'qualitative') return single;
  return sql`case when count(c.numerator) = count(*) and sum(c.denominator::numeric) > 0
    then sum(c.numerator::numeric) / sum(c.denominator::numeric) * 100 else ${single} end`;
}

const column = (d: Dimension) =>
  d === 'partner' ? sql`c.partner_code` : sql`(c.disaggregation -> ${sql.lit(d)})`;

/**
 * A reported KPI's figures for every period and grouping of the query, in one statement:
 * `(period, disaggregation jsonb, actual text)`; sums across partners.
 */
export function reportedStatement(kpi: ReportedKpi, q: FigureQuery): RawBuilder<unknown> {
  const keysetOf = (set: readonly Dimension[]) =>
    set
      .filter((d) => d !== 'partner')
      .sort()
      .join(',');
  const keysets = [...new Set(q.sets.map(keysetOf))];
  const dims = dimensionsOf(q.sets);
  const p = periodsRelation(q.periods, kpi.cumulation, q.programmeStart);
  return sql`with p as ${p}
    select r.period, r.disaggregation, r.actual from (
      select c.period, c.keyset, ${disaggregationOf(dims, column)} as disaggregation,
        (${combined(kpi.measure)})::text as actual
      from (${chosenValues(kpi, q, keysets)}) c
      ${groupingSets([sql`c.period`, sql`c.keyset`], q.sets, column)}) r
    where r.keyset = coalesce((select string_agg(k, ',' order by k)
      from jsonb_object_keys(r.disaggregation - 'partner') k), '')`;
}
