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
 * - a **flow** (`period` cumulation) is a set of facts, one row per counted thing with the
 *   period it falls in, its dimensions and `n`, what it adds;
 * - a **state** (`snapshot`) is a set of intervals `[starts, ends)` during which a thing
 *   counts (a member active; a member active and in category A). The count at a period's last
 *   day e is Σ (+1 at each start, −1 at each end) over days ≤ e: the changes are summed per
 *   period (width_bucket over the periods' first days) and accumulated with a window, so the
 *   cost grows with the records, not with records × periods. Periods must then be one
 *   contiguous run of one kind, as a report's are.
 * Columns of facts and intervals: partner, region, mtype, wled, mode, sex (null where a
 * dimension has none).
 */

type Flow = { kind: 'flow'; facts: RawBuilder<unknown> };
type State = { kind: 'state'; intervals: RawBuilder<unknown> };
type Computation = Flow | State;

const memberDimensions = (alias: string) =>
  sql`${sql.ref(`${alias}.partner_code`)} as partner, ${sql.ref(`${alias}.region`)},
    ${sql.ref(`${alias}.type`)} as mtype, ${sql.ref(`${alias}.women_led`)} as wled,
    null::text as mode, null::text as sex`;

/** Active from joinedOn until withdrawnOn (excluded): active at e ⇔ joined ≤ e < withdrawn. */
const memberIntervals = (where: RawBuilder<unknown>) =>
  sql`select ${memberDimensions('m')}, m.joined_on as starts, m.withdrawn_on as ends
    from members m where ${where}`;

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

/**
 * Participations in activities of the given types. Per person, each participation is two facts
 * (F and M) made by `unnest` in the select list, so after the joins: as a lateral join the
 * planner expanded every participation before joining the activities (400k rows for 48 months).
 */
const participations = (types: string[], perPerson: boolean): Flow => ({
  kind: 'flow',
  facts: sql`
    select p.code as period, m.partner_code as partner, m.region, m.type as mtype,
      m.women_led as wled, act.mode,
      ${perPerson ? sql`unnest(array['F', 'M'])` : sql`null::text`} as sex,
      ${perPerson ? sql`unnest(array[pa.women, pa.men])` : sql`1`} as n
    from p
    join activities act on act.starts_on between p.from_day and p.e
    join participations pa on pa.activity_id = act.id
    join members m on m.id = pa.member_id
    where act.type in (${sql.join(types)})`,
});

export const COMPUTATIONS: Record<string, Computation> = {
  MEMBERS_ACTIVE: { kind: 'state', intervals: memberIntervals(sql`true`) },
  MEMBERS_NEW: {
    kind: 'flow',
    facts: sql`select p.code as period, ${memberDimensions('m')}, 1 as n
      from p join members m on m.joined_on between p.from_day and p.e`,
  },
  COOP_WOMEN: {
    kind: 'state',
    intervals: memberIntervals(sql`m.type = 'cooperative' and m.women_led`),
  },
  // One span per submitted assessment: spans starting in the period are its assessments.
  ASSESSED: {
    kind: 'flow',
    facts: sql`select p.code as period, ${memberDimensions('a')}, 1 as n
      from p join readiness_spans a on a.assessed_on between p.from_day and p.e`,
  },
  // Category A from the assessment until the next one, while the member is active.
  EXPORT_READY: {
    kind: 'state',
    intervals: sql`select ${memberDimensions('s')},
        greatest(s.assessed_on, s.joined_on) as starts, least(s.until, s.withdrawn_on) as ends
      from readiness_spans s where s.category = 'A'`,
  },
  // A span at e that began before s covers s − 1 day too: same category, not an improvement.
  // So only spans that began within the period can count, which the index finds by date.
  // The span at s − 1 (cs) is joined by hashing the candidates: probing the member index once
  // per candidate (the planner's choice, misled by the periods' unknown sizes) cost 44k probes
  // and most of the report. `offset 0` keeps cs a subquery, which the join cannot probe by
  // member; it holds only spans that can be a worse category at some period's s − 1.
  READINESS_UP: {
    kind: 'flow',
    facts: sql`select p.code as period, ${memberDimensions('ce')}, 1 as n
      from p
      join readiness_spans ce on ce.assessed_on between p.from_day and p.e and ${covers('ce', sql`p.e`)}
      join (select s.member_id, s.category, s.assessed_on, s.until from readiness_spans s
        where s.category in ('B', 'C', 'D') and s.assessed_on < (select max(p.s) from p)
          and (s.until is null or s.until >= (select min(p.s) from p))
        offset 0) cs on cs.member_id = ce.member_id and ${covers('cs', sql`p.before_day`)}
      where ${activeAt('ce', sql`p.e`)} and ${rank(sql`ce.category`)} < ${rank(sql`cs.category`)}`,
  },
  FAIR_PARTICIPATIONS: participations(['trade_fair'], false),
  PEOPLE_TRAINED: participations(['training', 'awareness'], true),
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
      ${groupingSets([sql`f.period`], q.sets, column)}`;
  }
  const column = (d: Dimension) => sql.ref(`ev.${COLUMN[d]}`);
  const kept = (alias: string) => dims.map((d) => sql.ref(`${alias}.${COLUMN[d]}`));
  const last = q.periods[q.periods.length - 1]?.end ?? '1900-01-01';
  const bucket = (day: RawBuilder<unknown>) =>
    sql`greatest(1, width_bucket(${day}, ${periodStarts(q.periods)}))`;
  // Intervals are first counted per (dimensions, start bucket, end bucket) in one pass, then
  // each group becomes its two changes: expanding every interval into two rows first (a
  // lateral join, planned as a Memoize per interval) was most of the report (bench/findings.md).
  return sql`with p as ${p},
    iv as (
      select ${sql.join([...kept('f'), sql`${bucket(sql`f.starts`)} as start_bucket`])},
        case when f.ends is not null and greatest(f.starts, f.ends) <= ${last}::date
          then ${bucket(sql`greatest(f.starts, f.ends)`)} end as end_bucket,
        count(*) as n
      from (${computation.intervals}) f
      where f.starts <= ${last}::date and ${only}
      group by ${sql.join([...kept('f'), sql`start_bucket`, sql`end_bucket`])}),
    ev as (
      select ${sql.join([...kept('iv'), sql`x.i`, sql`x.delta`])}
      from iv cross join lateral (values (iv.start_bucket, iv.n), (iv.end_bucket, -iv.n)) as x(i, delta)
      where x.i is not null),
    g as (
      select ev.i, ${disaggregationOf(dims, column)} as disaggregation, sum(ev.delta) as n
      from ev ${groupingSets([sql`ev.i`], q.sets, column)}),
    keys as (select distinct disaggregation from g),
    filled as (
      select p.code as period, k.disaggregation,
        sum(coalesce(g.n, 0)) over (partition by k.disaggregation order by p.i) as actual
      from keys k cross join p
      left join g on g.i = p.i and g.disaggregation = k.disaggregation)
    select period, disaggregation, actual::text as actual from filled where actual <> 0`;
}
