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
 * Every KPI reads its facts and changes from `kpi_changes` (migrations 0021 and 0022), kept by
 * triggers by month (or period) and group: a report reads months × groups, however many members
 * there are.
 * Columns: partner, region, mtype, wled, mode, sex (null where a dimension has none).
 */

type Flow = { kind: 'flow'; facts: (q: FigureQuery) => RawBuilder<unknown> };
type State = { kind: 'state'; changes: RawBuilder<unknown> };
type Computation = Flow | State;

const changeDimensions = sql`c.partner_code as partner, c.region, c.member_type as mtype,
  c.women_led as wled, c.mode, c.sex`;

/** A flow's facts: the rows of KPI key `kpi` that `inPeriod` places in each period p. */
const flow = (kpi: (q: FigureQuery) => string, inPeriod: RawBuilder<unknown>): Flow => ({
  kind: 'flow',
  facts: (q) => sql`select p.code as period, ${changeDimensions}, c.n, c.facts
    from p join kpi_changes c on c.kpi = ${kpi(q)} and ${inPeriod}`,
});

/** A flow kept by month: the rows of the months of each period. */
const flowOfChanges = (kpi: string) => flow(() => kpi, sql`c.month between p.s and p.e`);

/**
 * A flow kept per period rather than per month (READINESS_UP, migration 0022): the rows of the
 * periods' kind, at each period's first month.
 */
const flowOfPeriods = (kpi: string) =>
  flow((q) => `${kpi}/${q.periods[0]?.kind}`, sql`c.month = p.s`);

/** A state's changes by month. */
const stateOfChanges = (kpi: string): State => ({
  kind: 'state',
  changes: sql`select ${changeDimensions}, c.month, c.n from kpi_changes c where c.kpi = ${kpi}`,
});

export const COMPUTATIONS: Record<string, Computation> = {
  MEMBERS_ACTIVE: stateOfChanges('MEMBERS_ACTIVE'),
  MEMBERS_NEW: flowOfChanges('MEMBERS_NEW'),
  COOP_WOMEN: stateOfChanges('COOP_WOMEN'),
  ASSESSED: flowOfChanges('ASSESSED'),
  EXPORT_READY: stateOfChanges('EXPORT_READY'),
  READINESS_UP: flowOfPeriods('READINESS_UP'),
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
      from (${computation.facts(q)}) f where ${only}
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
