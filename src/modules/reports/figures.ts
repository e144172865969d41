import { type RawBuilder, sql } from 'kysely';
import type { Disaggregation } from '../../db/tables/kpi-targets.js';
import type { Cumulation, Dimension } from '../../db/tables/kpis.js';
import { DIMENSIONS } from '../kpis/dimensions.js';
import type { Period } from '../periods/period.js';

/** A disaggregation with its keys in the order of DIMENSIONS (jsonb sorts them otherwise). */
export function inDimensionOrder(d: Disaggregation): Disaggregation {
  return Object.fromEntries(
    DIMENSIONS.filter((k) => k in d).map((k) => [k, d[k] as string | boolean]),
  );
}

/** One figure of a KPI: a period and a group (`{}` is the total). */
export interface GroupFigure {
  period: string;
  disaggregation: Disaggregation;
  actual: number | null;
}

/**
 * The periods of one statement as a relation `p(code, s, e, i, from_day)`
 * (docs/kpis.md → Periods): `s`/`e` its first and last day, `i` its position, `from_day` the
 * first day of the flow it counts (the programme start for a cumulative KPI). Periods are passed
 * as arrays: one statement covers them all.
 */
export function periodsRelation(
  periods: readonly Period[],
  cumulation: Cumulation,
  programmeStart: string,
): RawBuilder<unknown> {
  const from = cumulation === 'cumulative' ? sql`${programmeStart}::date` : sql`x.s`;
  return sql`(select x.code, x.s, x.e, x.i, ${from} as from_day
    from unnest(${periods.map((p) => p.code)}::text[], ${periods.map((p) => p.start)}::date[],
      ${periods.map((p) => p.end)}::date[]) with ordinality as x(code, s, e, i))`;
}

/** Days of the periods' first days, ascending: buckets for `width_bucket` (state KPIs). */
export const periodStarts = (periods: readonly Period[]) =>
  sql`${periods.map((p) => p.start)}::date[]`;

/**
 * A group of facts as the jsonb disaggregation of its row: each dimension of the row's
 * grouping set as a key (`grouping(x) = 0`), the others absent. `columns` maps a dimension
 * to its facts expression.
 */
export function disaggregationOf(
  dims: readonly Dimension[],
  column: (d: Dimension) => RawBuilder<unknown>,
): RawBuilder<unknown> {
  if (dims.length === 0) return sql`'{}'::jsonb`;
  return sql.join(
    dims.map(
      (d) =>
        sql`(case when grouping(${column(d)}) = 0 then jsonb_build_object(${d}::text, ${column(d)}) else '{}'::jsonb end)`,
    ),
    sql` || `,
  );
}

/** `group by grouping sets ((lead, set…), …)`; every set starts with the `lead` expressions. */
export function groupingSets(
  lead: readonly RawBuilder<unknown>[],
  sets: readonly (readonly Dimension[])[],
  column: (d: Dimension) => RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`group by grouping sets (${sql.join(
    sets.map((set) => sql`(${sql.join([...lead, ...set.map(column)])})`),
  )})`;
}

/** The dimensions in any of the sets, each once, in the order first seen. */
export const dimensionsOf = (sets: readonly (readonly Dimension[])[]) => [...new Set(sets.flat())];

/** Every subset of the dimensions, the empty one first: the groupings frozen at a lock. */
export function allSubsets(dims: readonly Dimension[]): Dimension[][] {
  let subsets: Dimension[][] = [[]];
  for (const d of dims) subsets = [...subsets, ...subsets.map((s) => [...s, d])];
  return subsets;
}
