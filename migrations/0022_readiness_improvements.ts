import { type Kysely, sql } from 'kysely';

/**
 * READINESS_UP as changes too (see 0021): a member counts for a period when it is active at the
 * period's end e and its category at e is better than at s − 1 day. Report periods are whole
 * months, quarters and years, and a member's category only changes on the day of an assessment,
 * so a member can only count for the periods of each kind holding one of its assessments: a
 * handful per assessment. `readiness_improvements` holds, per member, the periods it counts for
 * (with its dimensions), brought up to date from the member's spans by a trigger whenever they
 * change (the spans follow the member's dimensions and dates: migration 0009). Its rows feed
 * `kpi_changes` as `READINESS_UP/month`, `/quarter` and `/year`, at the period's first month.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table readiness_improvements (
    member_id uuid not null references members (id),
    kind text not null check (kind in ('month', 'quarter', 'year')),
    period_start date not null,
    partner_code text not null,
    region text not null,
    type text not null,
    women_led boolean not null,
    primary key (member_id, kind, period_start)
  )`.execute(db);

  await sql.raw(REFRESH).execute(db);
  await sql.raw(REFRESH_TRIGGER).execute(db);
  await statementTriggers(
    'readiness_improvements',
    'readiness_spans',
    'readiness_improvements_refresh',
  );
  await sql.raw(TO_KPI_CHANGES).execute(db);
  await statementTriggers('kpi_changes', 'readiness_improvements', 'kpi_changes_of_improvements');
  await sql.raw(RECOUNT).execute(db);
  await sql.raw(REBUILD).execute(db);
  await sql`select readiness_up_recount()`.execute(db);

  /** `<prefix>_on_<event>` after each write of `table`, with its rows (see 0021). */
  async function statementTriggers(prefix: string, table: string, fn: string) {
    for (const [event, referencing] of [
      ['insert', 'new table as new_rows'],
      ['update', 'old table as old_rows new table as new_rows'],
      ['delete', 'old table as old_rows'],
    ] as const) {
      await sql
        .raw(`create trigger ${prefix}_on_${event} after ${event} on ${table}
          referencing ${referencing}
          for each statement execute function ${fn}()`)
        .execute(db);
    }
  }
}

/**
 * Brings every member's improvements to what its spans say, then counts READINESS_UP's rows
 * again from them in place of its own (one statement: one snapshot, as in 0021). The first
 * run fills both.
 */
const RECOUNT = `
  create function readiness_up_recount() returns void language sql as $$
    select readiness_improvements_of(array(select id from members));
    with gone as (delete from kpi_changes where kpi like 'READINESS_UP/%')
    insert into kpi_changes (kpi, month, partner_code, region, member_type, women_led, mode, sex,
      n, facts)
    select 'READINESS_UP/' || kind, period_start, partner_code, region, type, women_led, null,
      null, count(*), count(*)
    from readiness_improvements
    group by kind, period_start, partner_code, region, type, women_led;
  $$`;

/** The operator's rebuild (0021) covers READINESS_UP as well from now on. */
const REBUILD = `
  create or replace function kpi_changes_rebuild() returns void language sql as $$
    select kpi_changes_recount_monthly();
    select readiness_up_recount();
  $$`;

const RANK = (category: string) => `array_position(array['A', 'B', 'C', 'D']::text[], ${category})`;

/**
 * The periods each member of `ids` counts for, from its spans: for each kind, the periods
 * holding one of its assessments where the span covering e is better than the one covering
 * s − 1 (a span covers d when assessed_on ≤ d < until), and the member is active at e.
 */
const REFRESH = `
  create function readiness_improvements_of(ids uuid[]) returns void language sql as $$
    with candidate as (
      select distinct s.member_id, k.kind, date_trunc(k.kind, s.assessed_on)::date as s, k.length
      from readiness_spans s
      cross join (values ('month', interval '1 month'), ('quarter', interval '3 months'),
        ('year', interval '1 year')) as k(kind, length)
      where s.member_id = any(ids)),
    period as (
      select c.member_id, c.kind, c.s, (c.s + c.length - interval '1 day')::date as e
      from candidate c),
    counted as (
      select p.member_id, p.kind, p.s as period_start, ce.partner_code, ce.region, ce.type,
        ce.women_led
      from period p
      join readiness_spans ce on ce.member_id = p.member_id and ce.assessed_on <= p.e
        and (ce.until is null or ce.until > p.e)
      join readiness_spans cs on cs.member_id = p.member_id and cs.assessed_on < p.s
        and (cs.until is null or cs.until >= p.s)
      where ce.joined_on <= p.e and (ce.withdrawn_on is null or ce.withdrawn_on > p.e)
        and ${RANK('ce.category')} < ${RANK('cs.category')}),
    gone as (
      delete from readiness_improvements r
      where r.member_id = any(ids) and not exists (select from counted c
        where c.member_id = r.member_id and c.kind = r.kind and c.period_start = r.period_start))
    insert into readiness_improvements as r select * from counted
    on conflict (member_id, kind, period_start) do update
      set (partner_code, region, type, women_led)
        = (excluded.partner_code, excluded.region, excluded.type, excluded.women_led)
      where (r.partner_code, r.region, r.type, r.women_led)
        is distinct from (excluded.partner_code, excluded.region, excluded.type, excluded.women_led)
  $$`;

/** Brings the members' improvements up to date after a statement changed their spans. */
const REFRESH_TRIGGER = `
  create function readiness_improvements_refresh() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' then
      perform readiness_improvements_of(array(select distinct member_id from new_rows));
    elsif tg_op = 'DELETE' then
      perform readiness_improvements_of(array(select distinct member_id from old_rows));
    else
      perform readiness_improvements_of(array(
        select member_id from new_rows union select member_id from old_rows));
    end if;
    return null;
  end $$`;

/** A row is one member counted for one period: +1 while it is there. */
const changes = (rows: string, sign: 1 | -1) => `
  select 'READINESS_UP/' || r.kind as kpi, r.period_start as month, r.partner_code, r.region,
    r.type as member_type, r.women_led, null::text as mode, null::text as sex,
    ${sign} as n, ${sign} as facts
  from ${rows} r`;
const appended = (parts: string[]) => `
  insert into kpi_changes (kpi, month, partner_code, region, member_type, women_led, mode, sex,
    n, facts)
  select kpi, month, partner_code, region, member_type, women_led, mode, sex, sum(n), sum(facts)
  from (${parts.join(' union all ')}) c
  group by kpi, month, partner_code, region, member_type, women_led, mode, sex
  having sum(n) <> 0 or sum(facts) <> 0;`;
const TO_KPI_CHANGES = `
  create function kpi_changes_of_improvements() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' then
      ${appended([changes('new_rows', 1)])}
    elsif tg_op = 'DELETE' then
      ${appended([changes('old_rows', -1)])}
    else
      ${appended([changes('old_rows', -1), changes('new_rows', 1)])}
    end if;
    return null;
  end $$`;

export async function down(db: Kysely<any>): Promise<void> {
  for (const event of ['insert', 'update', 'delete']) {
    await sql.raw(`drop trigger readiness_improvements_on_${event} on readiness_spans`).execute(db);
  }
  await sql`create or replace function kpi_changes_rebuild() returns void language sql as $$
    select kpi_changes_recount_monthly()
  $$`.execute(db);
  await sql`drop function readiness_up_recount()`.execute(db);
  await db.schema.dropTable('readiness_improvements').execute();
  await sql`drop function kpi_changes_of_improvements()`.execute(db);
  await sql`drop function readiness_improvements_refresh()`.execute(db);
  await sql`drop function readiness_improvements_of(uuid[])`.execute(db);
  await sql`delete from kpi_changes where kpi like 'READINESS_UP/%'`.execute(db);
}
