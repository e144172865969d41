import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Dimension } from '../../db/tables/kpis.js';
import type { GroupFigure, Window } from './figures.js';

type Db = Kysely<Database>;

/**
 * The computed KPIs of kpis.md, each as a set of facts (one row per counted thing, with the
 * dimensions it falls in and `n`, what it adds) read as of the window's last day. The SQL reads
 * like the definitions; the report aggregates the facts with GROUP BY in the database.
 */

/**
 * Facts columns: partner, region, mtype, wled, mode, sex, n (null where a dimension has none).
 * The member's dimensions come from `members` or a readiness span (the same column names).
 */
const memberDimensions = (alias: string) =>
  sql`${sql.ref(`${alias}.partner_code`)} as partner, ${sql.ref(`${alias}.region`)},
    ${sql.ref(`${alias}.type`)} as mtype, ${sql.ref(`${alias}.women_led`)} as wled`;
const MEMBER_DIMENSIONS = memberDimensions('m');

/** Active at e: joined on or before e and not withdrawn on or before e. */
const activeAt = (e: string, alias = 'm') =>
  sql`${sql.ref(`${alias}.joined_on`)} <= ${e}::date
    and (${sql.ref(`${alias}.withdrawn_on`)} is null or ${sql.ref(`${alias}.withdrawn_on`)} > ${e}::date)`;

/**
 * The readiness span of alias `s` covers day d: its assessment is the member's latest submitted
 * one assessed on or before d (ties: the later submission; readiness_spans, migration 0009).
 * INCOMPLETE counts here: a member whose latest assessment is INCOMPLETE has an unknown
 * category, and no older one stands in for it.
 */
const covers = (s: string, d: string) =>
  sql`${sql.ref(`${s}.assessed_on`)} <= ${d}::date
    and (${sql.ref(`${s}.until`)} is null or ${sql.ref(`${s}.until`)} > ${d}::date)`;

/** Rank of a counting category, best first; null for INCOMPLETE or any other code. */
const rank = (category: RawBuilder<unknown>) =>
  sql`array_position(array['A', 'B', 'C', 'D']::text[], ${category})`;

type Facts = (w: Window) => RawBuilder<unknown>;

const memberFacts =
  (where: (w: Window) => RawBuilder<unknown>): Facts =>
  (w) =>
    sql`
  select ${MEMBER_DIMENSIONS}, null::text as mode, null::text as sex, 1 as n
  from members m where ${where(w)}`;

const participationFacts =
  (types: string[], perPerson: boolean): Facts =>
  (w) =>
    sql`
  select m.partner_code as partner, m.region, m.type as mtype, m.women_led as wled,
    act.mode, ${perPerson ? sql`x.sex` : sql`null::text`} as sex,
    ${perPerson ? sql`x.n` : sql`1`} as n
  from activities act
  join participations p on p.activity_id = act.id
  join members m on m.id = p.member_id
  ${perPerson ? sql`cross join lateral (values ('F', p.women), ('M', p.men)) as x(sex, n)` : sql``}
  where act.type in (${sql.join(types)}) and act.starts_on between ${w.from}::date and ${w.end}::date`;

export const COMPUTED_FACTS: Record<string, Facts> = {
  MEMBERS_ACTIVE: memberFacts((w) => activeAt(w.end)),
  MEMBERS_NEW: memberFacts((w) => sql`m.joined_on between ${w.from}::date and ${w.end}::date`),
  COOP_WOMEN: memberFacts(
    (w) => sql`${activeAt(w.end)} and m.type = 'cooperative' and m.women_led`,
  ),
  // Spans carry their member's dimensions and dates: no join with members below.
  // One span per submitted assessment: spans starting in the window are the assessments.
  ASSESSED: (w) => sql`
    select ${memberDimensions('a')}, null::text as mode, null::text as sex, 1 as n
    from readiness_spans a
    where a.assessed_on between ${w.from}::date and ${w.end}::date`,
  EXPORT_READY: (w) => sql`
    select ${memberDimensions('ce')}, null::text as mode, null::text as sex, 1 as n
    from readiness_spans ce
    where ${covers('ce', w.end)} and ce.category = 'A' and ${activeAt(w.end, 'ce')}`,
  // A span at e that began before s covers s − 1 day too: same category, not an improvement.
  // So only spans that began within the window can count, which the index finds by date.
  READINESS_UP: (w) => sql`
    select ${memberDimensions('ce')}, null::text as mode, null::text as sex, 1 as n
    from readiness_spans ce
    join readiness_spans cs on cs.member_id = ce.member_id and ${covers('cs', w.before)}
    where ce.assessed_on > ${w.before}::date and ${covers('ce', w.end)}
      and ${activeAt(w.end, 'ce')} and ${rank(sql`ce.category`)} < ${rank(sql`cs.category`)}`,
  FAIR_PARTICIPATIONS: participationFacts(['trade_fair'], false),
  PEOPLE_TRAINED: participationFacts(['training', 'awareness'], true),
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
  return code in COMPUTED_FACTS;
}

/**
 * The KPI's figure for the window: the total (or the partner's figure when `partner` is set)
 * and, with dimensions, one figure per group, in one GROUP BY GROUPING SETS query. Groups
 * with nothing counted are absent.
 */
export async function computedFigures(
  db: Db,
  code: string,
  window: Window,
  dims: readonly Dimension[],
  partner: string | null,
): Promise<GroupFigure[]> {
  const facts = COMPUTED_FACTS[code];
  if (!facts) throw new Error(`KPI ${code} is not computed by the service`);
  const fixed: Dimension[] = partner === null ? [] : ['partner'];
  const breakdown = [...fixed, ...dims.filter((d) => !fixed.includes(d))];
  const columns = (list: Dimension[]) => sql.join(list.map((d) => sql.ref(`f.${COLUMN[d]}`)));
  const sets = [fixed, ...(breakdown.length > fixed.length ? [breakdown] : [])];
  const groupBy =
    breakdown.length === 0
      ? sql``
      : sql`group by grouping sets (${sql.join(sets.map((set) => sql`(${set.length ? columns(set) : sql``})`))})`;
  // Aliases d0, d1…: the same in snake and camel case, which the CamelCasePlugin maps between.
  const select = breakdown.map((d, i) => sql`${sql.ref(`f.${COLUMN[d]}`)} as ${sql.ref(`d${i}`)}`);
  const grouping =
    breakdown.length > 0 ? sql`, grouping(${columns(breakdown)}) as g` : sql`, 0 as g`;
  const result = await sql<Record<string, unknown>>`
    select ${sql.join([...select, sql`coalesce(sum(f.n), 0)::float8 as actual`])} ${grouping}
    from (${facts(window)}) f
    ${partner === null ? sql`` : sql`where f.partner = ${partner}`}
    ${groupBy}`.execute(db);
  const totalGrouping = (1 << (breakdown.length - fixed.length)) - 1;
  return result.rows.map((row) => {
    const isTotal = breakdown.length > fixed.length && Number(row.g) === totalGrouping;
    const keep = isTotal ? fixed : breakdown;
    const disaggregation = Object.fromEntries(
      keep.map((d) => [d, row[`d${breakdown.indexOf(d)}`] as string | boolean]),
    );
    return { disaggregation, actual: Number(row.actual) };
  });
}
