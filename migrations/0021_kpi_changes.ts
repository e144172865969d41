import { type Kysely, sql } from 'kysely';

/**
 * KPI changes by month and group: the report's read model of seven computed KPIs, so that a
 * report sums months × groups instead of reading every member, span and participation of its
 * periods (bench/findings.md, growth to 1M). Report periods are calendar months, quarters and
 * years, so a month is the finest step a figure needs.
 * - A **flow** (MEMBERS_NEW, ASSESSED, FAIR_PARTICIPATIONS, PEOPLE_TRAINED) adds `n` in the month
 *   of each counted thing; `facts` counts the things, so that a group with things worth 0 (a
 *   training attended by no women) is still a group.
 * - A **state** (MEMBERS_ACTIVE, COOP_WOMEN, EXPORT_READY) adds +1 in the month an interval
 *   starts and −1 in the month it ends: the figure at a period's end is the sum up to its month.
 * READINESS_UP compares each member's category at two days and is no sum of monthly changes:
 * migration 0022 keeps it per period, in this table too.
 *
 * Rows are only ever appended, by triggers in the writing transaction, each statement's changes
 * summed per group: writers never wait for one another on a shared counter row. A figure is the
 * sum of the rows of its keys; the service merges the rows of a key now and then (compaction,
 * src/modules/reports/compaction.ts), which changes no sum.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table kpi_changes (
    kpi text not null,
    month date not null check (extract(day from month) = 1),
    partner_code text not null,
    region text not null,
    member_type text not null,
    women_led boolean not null,
    mode text,
    sex text,
    n bigint not null,
    facts bigint not null,
    compacted boolean not null default false
  )`.execute(db);
  await sql`create index kpi_changes_by_month on kpi_changes (kpi, month)
    include (partner_code, region, member_type, women_led, mode, sex, n, facts)`.execute(db);
  // The rows appended since the last compaction, found without reading the others.
  await sql`create index kpi_changes_fresh on kpi_changes (kpi, month)
    where not compacted`.execute(db);
  await sql`alter table kpi_changes set (autovacuum_vacuum_scale_factor = 0.05,
    autovacuum_vacuum_insert_scale_factor = 0.05)`.execute(db);

  await sql.raw(CHANGES_OF_MEMBERS).execute(db);
  await sql.raw(CHANGES_OF_SPANS).execute(db);
  await sql.raw(CHANGES_OF_PARTICIPATIONS).execute(db);
  await sql.raw(CHANGES_OF_ACTIVITIES).execute(db);
  await sql.raw(CHANGES_OF_DELETED_ACTIVITY).execute(db);
  await statementTriggers('members', 'kpi_changes_of_members');
  await statementTriggers('readiness_spans', 'kpi_changes_of_spans');
  await statementTriggers('participations', 'kpi_changes_of_participations');
  await sql`create trigger kpi_changes_on_update after update on activities
    referencing old table as old_rows new table as new_rows
    for each statement execute function kpi_changes_of_activities()`.execute(db);
  // Before the row goes: its participations are deleted by the cascade afterwards, when their
  // own trigger no longer finds the activity (so they are not taken off twice).
  await sql`create trigger kpi_changes_on_delete before delete on activities
    for each row execute function kpi_changes_of_deleted_activity()`.execute(db);

  await sql.raw(RECOUNT).execute(db);
  await sql.raw(REBUILD).execute(db);
  await sql`select kpi_changes_rebuild()`.execute(db);

  async function statementTriggers(table: string, fn: string) {
    for (const [event, referencing] of [
      ['insert', 'new table as new_rows'],
      ['update', 'old table as old_rows new table as new_rows'],
      ['delete', 'old table as old_rows'],
    ] as const) {
      await sql
        .raw(`create trigger kpi_changes_on_${event} after ${event} on ${table}
          referencing ${referencing}
          for each statement execute function ${fn}()`)
        .execute(db);
    }
  }
}

const GROUP = 'partner_code, region, member_type, women_led, mode, sex';
const COLUMNS = `kpi, month, ${GROUP}, n, facts`;

/** The changes of some parts, summed per key; keys whose changes cancel out are left out. */
const summed = (parts: string[]) => `
  select kpi, month, ${GROUP}, sum(n), sum(facts) from (${parts.join(' union all ')}) c
  group by kpi, month, ${GROUP}
  having sum(n) <> 0 or sum(facts) <> 0`;

/**
 * `sign` × the changes listed (`values`: rows of kpi, day, n, facts, sex) for each row of `rows`
 * (alias r), with the group's columns (`group`) and anything `join` adds.
 */
const changesOf = (rows: string, sign: 1 | -1, group: string, values: string, join = '') => `
  select v.kpi, date_trunc('month', v.day)::date as month, ${group},
    ${sign} * v.n as n, ${sign} * v.facts as facts
  from ${rows} r ${join}
  cross join lateral (values ${values}) as v(kpi, day, n, facts, sex)
  where v.day is not null`;

const MEMBER_GROUP = `r.partner_code, r.region, r.type as member_type, r.women_led,
  null::text as mode, v.sex`;

/**
 * Active from joined_on until withdrawn_on (excluded; a withdrawal before joining ends it the day
 * it starts); new in the month joined; a women's cooperative while active.
 */
const memberChanges = (rows: string, sign: 1 | -1) => {
  const ends =
    'case when r.withdrawn_on is not null then greatest(r.joined_on, r.withdrawn_on) end';
  const coop = "r.type = 'cooperative' and r.women_led";
  return changesOf(
    rows,
    sign,
    MEMBER_GROUP,
    `('MEMBERS_NEW', r.joined_on, 1, 1, null::text), ('MEMBERS_ACTIVE', r.joined_on, 1, 0, null),
      ('MEMBERS_ACTIVE', ${ends}, -1, 0, null),
      ('COOP_WOMEN', case when ${coop} then r.joined_on end, 1, 0, null),
      ('COOP_WOMEN', case when ${coop} then ${ends} end, -1, 0, null)`,
  );
};

/**
 * Each span is an assessment in the month it was made, and category A from then (or from the
 * member's joining) until the next assessment or the withdrawal, whichever comes first.
 */
const spanChanges = (rows: string, sign: 1 | -1) => {
  const starts = 'greatest(r.assessed_on, r.joined_on)';
  const ends = 'least(r.until, r.withdrawn_on)';
  return changesOf(
    rows,
    sign,
    MEMBER_GROUP,
    `('ASSESSED', r.assessed_on, 1, 1, null::text),
      ('EXPORT_READY', case when r.category = 'A' then ${starts} end, 1, 0, null),
      ('EXPORT_READY', case when r.category = 'A' and ${ends} is not null
        then greatest(${starts}, ${ends}) end, -1, 0, null)`,
  );
};

/**
 * A participation in a trade fair counts once; in a training or awareness session, its women
 * (sex F) and its men (M). In the month the activity starts, with the member's dimensions and
 * the activity's mode.
 */
const participationChanges = (
  participations: string,
  activities: string,
  members: string,
  sign: 1 | -1,
) => {
  const trained = "case when act.type in ('training', 'awareness') then act.starts_on end";
  return changesOf(
    participations,
    sign,
    'm.partner_code, m.region, m.type as member_type, m.women_led, act.mode, v.sex',
    `('FAIR_PARTICIPATIONS', case when act.type = 'trade_fair' then act.starts_on end, 1, 1,
        null::text),
      ('PEOPLE_TRAINED', ${trained}, r.women, 1, 'F'),
      ('PEOPLE_TRAINED', ${trained}, r.men, 1, 'M')`,
    `join ${activities} act on act.id = r.activity_id join ${members} m on m.id = r.member_id`,
  );
};

const appended = (parts: string[]) => `insert into kpi_changes (${COLUMNS}) ${summed(parts)};`;

/**
 * Counts the seven KPIs' changes again from the records, in place of their rows: how the
 * migration fills the table, and what an operator runs if the figures were ever bypassed (a
 * restore or a fix made with triggers disabled; docs/operations.md). One statement, so one
 * snapshot: a write committed before it is counted once, from its records; one committed after
 * it keeps its own rows.
 */
const RECOUNT = `
  create function kpi_changes_recount_monthly() returns void language sql as $$
    with gone as (
      delete from kpi_changes where kpi in ('MEMBERS_NEW', 'MEMBERS_ACTIVE', 'COOP_WOMEN',
        'ASSESSED', 'EXPORT_READY', 'FAIR_PARTICIPATIONS', 'PEOPLE_TRAINED'))
    ${appended([
      memberChanges('members', 1),
      spanChanges('readiness_spans', 1),
      participationChanges('participations', 'activities', 'members', 1),
    ]).replace(/;$/, '')}
  $$`;

/** What an operator runs (migration 0022 adds READINESS_UP to it). */
const REBUILD = `
  create function kpi_changes_rebuild() returns void language sql as $$
    select kpi_changes_recount_monthly()
  $$`;

/** A statement trigger's function: appends the changes of the rows inserted, deleted or updated. */
const triggerFunction = (
  name: string,
  inserted: string[],
  deleted: string[],
  updated: string[],
) => `
  create function ${name}() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' then
      ${appended(inserted)}
    elsif tg_op = 'DELETE' then
      ${appended(deleted)}
    else
      ${appended(updated)}
    end if;
    return null;
  end $$`;

/** Old rows taken off, new rows added. */
const ofRows = (name: string, changes: (rows: string, sign: 1 | -1) => string) =>
  triggerFunction(
    name,
    [changes('new_rows', 1)],
    [changes('old_rows', -1)],
    [changes('old_rows', -1), changes('new_rows', 1)],
  );

// A member's dimensions are also those of its participations (a new member has none, and one
// that has some cannot be deleted).
const CHANGES_OF_MEMBERS = triggerFunction(
  'kpi_changes_of_members',
  [memberChanges('new_rows', 1)],
  [memberChanges('old_rows', -1)],
  [
    memberChanges('old_rows', -1),
    memberChanges('new_rows', 1),
    participationChanges('participations', 'activities', 'old_rows', -1),
    participationChanges('participations', 'activities', 'new_rows', 1),
  ],
);

const CHANGES_OF_SPANS = ofRows('kpi_changes_of_spans', spanChanges);

const CHANGES_OF_PARTICIPATIONS = ofRows('kpi_changes_of_participations', (rows, sign) =>
  participationChanges(rows, 'activities', 'members', sign),
);

const CHANGES_OF_ACTIVITIES = `
  create function kpi_changes_of_activities() returns trigger language plpgsql as $$
  begin
    ${appended([
      participationChanges('participations', 'old_rows', 'members', -1),
      participationChanges('participations', 'new_rows', 'members', 1),
    ])}
    return null;
  end $$`;

const CHANGES_OF_DELETED_ACTIVITY = `
  create function kpi_changes_of_deleted_activity() returns trigger language plpgsql as $$
  begin
    ${appended([
      participationChanges(
        '(select * from participations where activity_id = old.id)',
        '(select old.id as id, old.type as type, old.mode as mode, old.starts_on as starts_on)',
        'members',
        -1,
      ),
    ])}
    return old;
  end $$`;

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['members', 'readiness_spans', 'participations', 'activities']) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql.raw(`drop trigger if exists kpi_changes_on_${event} on ${table}`).execute(db);
    }
  }
  for (const fn of [
    'kpi_changes_rebuild',
    'kpi_changes_recount_monthly',
    'kpi_changes_of_members',
    'kpi_changes_of_spans',
    'kpi_changes_of_participations',
    'kpi_changes_of_activities',
    'kpi_changes_of_deleted_activity',
  ]) {
    await sql.raw(`drop function ${fn}()`).execute(db);
  }
  await db.schema.dropTable('kpi_changes').execute();
}
