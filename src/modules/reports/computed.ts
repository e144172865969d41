import { type RawBuilder, sql } from 'kysely';
import type { Dimension } from '../../db/tables/kpis.js';
import type { Period } from '../periods/period.js';
import {
  dimensionsOf,
  disaggregationOf,
  groupingSets,
  periodStarts,
  periodsRelation,
} from './figures.js';

/**
 * The computed KPIs of docs/kpis.md, each one SQL statement for all the periods of a report
 * (a relation `p`, figures.ts) and all its groupings at once (GROUPING SETS):
 * - a **flow** (`period` cumulation) is a set of facts, one row per counted thing (or group of
 *   things) with the period it falls in, its dimensions, `n`, what it adds, and `facts`, how many
 *   things it stands for: a group is shown when it has any, even worth 0;
 * - a **state** (`snapshot`) is a set of changes by month: the count at a period's last day e
 *   is the sum of the changes of the months up to e's. The changes are summed per period
 *   (width_bucket over the periods' first days) and accumulated with a window, so the cost grows
 *   with the change rows, not with rows × periods. Periods must then be one contiguous run of
 *   one kind, as a report's are.
 * Seven KPIs read their facts and changes from `kpi_changes` (migration 0021), kept by triggers
 * by month and group: a report reads months × groups, however many members there are.
 * Columns: partner, region, mtype, wled, mode, sex (null where a dimension has none).
 */

type Flow = { kind: 'flow'; facts: RawBuilder<unknown> };
type State = { kind: 'state'; changes: RawBuilder<unknown> };
type Computation = Flow | State;

const changeDimensions = sql`c.partner_code as partner, c.region, c.member_type as mtype,
  c.women_led as wled, c.mode, c.sex`;

/** A flow's facts by month: those of the months of each period. */
const flowOfChanges = (kpi: string): Flow => ({
  kind: 'flow',
  facts: sql`select p.code as period, ${changeDimensions}, c.n, c.facts
    from p join kpi_changes c on c.kpi = ${kpi} and c.month between p.s and p.e`,
});

/** A state's changes by month. */
const stateOfChanges = (kpi: string): State => ({
  kind: 'state',
  changes: sql`select ${changeDimensions}, c.month, c.n from kpi_changes c where c.kpi = ${kpi}`,
});

/**
 * The readiness span of alias `s` covers day d: its assessment is the member's latest submitted
 * one assessed on or before d (readiness_spans, migration 0009). INCOMPLETE counts here: a member
 * whose latest assessment is INCOMPLETE has an unknown category, and no older one stands in.
 */
const covers = (s: string, d: RawBuilder<unknown>) =>
  sql`${sql.ref(`${s}.assessed_on`)} <= ${d}
    and (${sql.ref(`${s}.until`)} is null or ${sql.ref(`${s}.until`)} > ${d})`;

const activeAt = (alias: string, e: RawBuilder<unknown>) =>
  sql`${sql.ref(`${alias}.joined_on`)} <= ${e}
    and (${sql.ref(`${alias}.withdrawn_on`)} is null or ${sql.ref(`${alias}.withdrawn_on`)} > ${e})`;

/** Rank of a counting category, best first; null for INCOMPLETE or any other code. */
const rank = (category: RawBuilder<unknown>) =>
  sql`array_position(array['A', 'B', 'C', 'D']::text[], ${category})`;

export const COMPUTATIONS: Record<string, Computation> = {
  MEMBERS_ACTIVE: stateOfChanges('MEMBERS_ACTIVE'),
  MEMBERS_NEW: flowOfChanges('MEMBERS_NEW'),
  COOP_WOMEN: stateOfChanges('COOP_WOMEN'),
  ASSESSED: flowOfChanges('ASSESSED'),
  EXPORT_READY: stateOfChanges('EXPORT_READY'),
  // Compares each member's category at two days: no sum of changes, read from the spans.
  // A span at e that began before s covers s − 1 day too: same category, not an improvement.
  // So only spans that began within the period can count, which the index finds by date.
  // The span at s − 1 (cs) is joined by hashing the candidates: probing the member index once
  // per candidate (the planner's choice, misled by the periods' unknown sizes) cost 44k probes
  // and most of the report. `offset 0` keeps cs a subquery, which the join cannot probe by
  // member; it holds only spans that can be a worse category at some period's s − 1.
  READINESS_UP: {
    kind: 'flow',
    facts: sql`select p.code as period, ce.partner_code as partner, ce.region,
        ce.type as mtype, ce.women_led as wled, null::text as mode, null::text as sex,
        1 as n, 1 as facts
      from p
      join readiness_spans ce on ce.assessed_on between p.from_day and p.e and ${covers('ce', sql`p.e`)}
      join (select s.member_id, s.category, s.assessed_on, s.until from readiness_spans s
        where s.category in ('B', 'C', 'D') and s.assessed_on < (select max(p.s) from p)
          and (s.until is null or s.until >= (select min(p.s) from p))
        offset 0) cs on cs.member_id = ce.member_id and ${covers('cs', sql`p.before_day`)}
      where ${activeAt('ce', sql`p.e`)} and ${rank(sql`ce.category`)} < ${rank(sql`cs.category`)}`,
  },
  FAIR_PARTICIPATIONS: flowOfChanges('FAIR_PARTICIPATIONS'),
  PEOPLE_TRAINED: flowOfChanges('PEOPLE_TRAINED'),
};

/** The facts column of each dimension. */
const COLUMN: Record<Dimension, string> = {
  partner: 'partner',
  region: 'region',
  memberType: 'mtype',
  womenLed: 'wled',
  mode: 'mode',
  sex: 'sex',
};

export function isComputable(code: string): boolean {
  return code in COMPUTATIONS;
}

export interface FigureQuery {
  periods: readonly Period[];
  /** The groupings wanted, each a list of dimensions (`[]`: the total). */
  sets: readonly (readonly Dimension[])[];
  /** Only this partner's facts. */
  partner: string | null;
  programmeStart: string;
}

/**
 * One statement answering `(period, disaggregation jsonb, actual text)` for every period and
 * grouping of the query; groups with nothing counted are absent.
 */
export function computedStatement(code: string, q: FigureQuery): RawBuilder<unknown> {
  const computation = COMPUTATIONS[code];
  if (!computation) throw new Error(`KPI ${code} is not computed by the service`);
  const only = q.partner === null ? sql`true` : sql`f.partner = ${q.partner}`;
  // Computed KPIs count as of each period's end from its start (their cumulation is fixed).
  const p = periodsRelation(q.periods, 'period', q.programmeStart);
  const dims = dimensionsOf(q.sets);
  if (computation.kind === 'flow') {
    const column = (d: Dimension) => sql.ref(`f.${COLUMN[d]}`);
    return sql`with p as ${p}
      select f.period, ${disaggregationOf(dims, column)} as disaggregation, sum(f.n)::text as actual
      from (${computation.facts}) f where ${only}
      ${groupingSets([sql`f.period`], q.sets, column)}
      having sum(f.facts) > 0`;
  }
  const column = (d: Dimension) => sql.ref(`ev.${COLUMN[d]}`);
  const last = q.periods[q.periods.length - 1]?.end ?? '1900-01-01';
  return sql`with p as ${p},
    ev as (
      select f.*, greatest(1, width_bucket(f.month, ${periodStarts(q.periods)})) as i
      from (${computation.changes}) f where f.month <= ${last}::date and ${only}),
    g as (
      select ev.i, ${disaggregationOf(dims, column)} as disaggregation, sum(ev.n) as n
      from ev ${groupingSets([sql`ev.i`], q.sets, column)}),
    keys as (select distinct disaggregation from g),
    filled as (
      select p.code as period, k.disaggregation,
        sum(coalesce(g.n, 0)) over (partition by k.disaggregation order by p.i) as actual
      from keys k cross join p
      left join g on g.i = p.i and g.disaggregation = k.disaggregation)
    select period, disaggregation, actual::text as actual from filled where actual <> 0`;
}
