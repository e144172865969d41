import { type Kysely, sql } from 'kysely';

/**
 * Readiness spans, the report's read model of assessments: one row per submitted assessment,
 * holding its category from its assessedOn until the member's next submitted assessment (by
 * assessedOn, then submission), with the member's dimensions and dates beside it. A member's
 * "category at e" (docs/kpis.md) is then the one span that covers e, read from one index without a
 * join, where the report used to pick the latest assessment of every member before e from all
 * of them and join the members. Kept by triggers on assessments and members, so every way
 * those are written (the API, imports, the benchmark's seed) keeps the spans right in the same
 * transaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('readiness_spans')
    .addColumn('assessment_id', 'uuid', (c) =>
      c.primaryKey().references('assessments.id').onDelete('cascade'),
    )
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    // The member's, as they are now (members_refresh_spans below).
    .addColumn('partner_code', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('women_led', 'boolean', (c) => c.notNull())
    .addColumn('joined_on', 'date', (c) => c.notNull())
    .addColumn('withdrawn_on', 'date')
    .addColumn('assessed_on', 'date', (c) => c.notNull())
    // The next assessment's assessedOn (exclusive); null while this one is the latest. Equal to
    // assessed_on when a later submission on the same day supersedes it: it never counts.
    .addColumn('until', 'date')
    .addCheckConstraint('readiness_spans_order', sql`until is null or until >= assessed_on`)
    .execute();
  // Spans by start, index-only: ASSESSED, spans covering a day, spans begun in a period.
  await sql`create index readiness_spans_assessed_on on readiness_spans (assessed_on)
    include (until, category, member_id, ${sql.raw(MEMBER_COLUMNS)})`.execute(db);
  // A member's spans: the span covering a day, and the refresh below.
  await sql`create index readiness_spans_member on readiness_spans
    (member_id, assessed_on) include (until, category)`.execute(db);

  // Brings the spans of every member whose assessments the statement touched to what the
  // assessments say, writing only the rows that differ: a submission inserts its span and
  // shortens the one before, a draft writes nothing. Rewriting every span of the member would
  // leave dead rows behind each submission, and the report's index-only scans would then
  // visit the heap until the next vacuum (measured: its assessment queries 1.6–3 × slower
  // after 7,000 submissions).
  await sql`
    create function readiness_spans_refresh() returns trigger
    language plpgsql as $$
    begin
      delete from readiness_spans s
        where s.member_id in (select c.member_id from changed c)
          and not exists (select from assessments a
            where a.id = s.assessment_id and a.status = 'submitted');
      insert into readiness_spans as s (${sql.raw(SPAN_COLUMNS)})
        select ${sql.raw(SPANS_OF_SUBMITTED)}
          and a.member_id in (select c.member_id from changed c)
        on conflict (assessment_id) do update
          set (${sql.raw(SPAN_VALUES)}) = (${sql.raw(prefixed('excluded', SPAN_VALUES))})
          where (${sql.raw(prefixed('s', SPAN_VALUES))})
            is distinct from (${sql.raw(prefixed('excluded', SPAN_VALUES))});
      return null;
    end
    $$`.execute(db);
  // Statement triggers with transition tables: one refresh per statement, not per row.
  for (const [event, table] of [
    ['insert', 'new'],
    ['update', 'new'],
    ['delete', 'old'],
  ] as const) {
    await sql`
      create trigger ${sql.raw(`readiness_spans_on_${event}`)}
      after ${sql.raw(event)} on assessments
      referencing ${sql.raw(table)} table as changed
      for each statement execute function readiness_spans_refresh()`.execute(db);
  }
  await sql`insert into readiness_spans (${sql.raw(SPAN_COLUMNS)})
    select ${sql.raw(SPANS_OF_SUBMITTED)}`.execute(db);

  // A member's dimensions or dates changed: its spans follow.
  await sql`
    create function members_refresh_spans() returns trigger
    language plpgsql as $$
    begin
      update readiness_spans s
        set (${sql.raw(MEMBER_COLUMNS)}) = (${sql.raw(prefixed('new', MEMBER_COLUMNS))})
        where s.member_id = new.id;
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger members_refresh_spans after update on members for each row
    when ((${sql.raw(prefixed('old', MEMBER_COLUMNS))})
      is distinct from (${sql.raw(prefixed('new', MEMBER_COLUMNS))}))
    execute function members_refresh_spans()`.execute(db);

  // Index-only scans read the heap for every page changed since the last vacuum, and the
  // default thresholds (a fifth of the table) let a day of submissions touch most pages of
  // both tables first: vacuum them after a few hundredths instead.
  await sql`alter table readiness_spans set (autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02)`.execute(
    db,
  );
  await sql`alter table members set (autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_insert_scale_factor = 0.02)`.execute(db);

  // The report reads members by the day they joined with their dimensions, index-only: the
  // rows are wide (contacts, products), the index entries narrow.
  await db.schema.dropIndex('members_joined_on').execute();
  await sql`create index members_kpi_dimensions on members (joined_on, id)
    include (withdrawn_on, partner_code, region, type, women_led)`.execute(db);
  // Replaced by the spans.
  await db.schema.dropIndex('assessments_latest_category').execute();
  await db.schema.dropIndex('assessments_submitted_on').execute();
}

/** The member columns a span repeats, under the same names. */
const MEMBER_COLUMNS = 'partner_code, region, type, women_led, joined_on, withdrawn_on';
const prefixed = (alias: string, columns: string) =>
  columns
    .split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');

/** What a span says besides its assessment; SPAN_COLUMNS with the key. */
const SPAN_VALUES = `member_id, category, ${MEMBER_COLUMNS}, assessed_on, until`;
const SPAN_COLUMNS = `assessment_id, ${SPAN_VALUES}`;
/** The spans of submitted assessments (SPAN_COLUMNS), a where clause to extend. */
const SPANS_OF_SUBMITTED = `a.id, a.member_id, a.category, ${prefixed('m', MEMBER_COLUMNS)},
    a.assessed_on,
    lead(a.assessed_on) over (
      partition by a.member_id order by a.assessed_on, a.submitted_at, a.id)
  from assessments a join members m on m.id = a.member_id
  where a.status = 'submitted'`;

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table members reset (autovacuum_vacuum_scale_factor,
    autovacuum_vacuum_insert_scale_factor)`.execute(db);
  await sql`create index assessments_latest_category on assessments
    (member_id desc, assessed_on desc, submitted_at desc, id desc) include (category)
    where status = 'submitted'`.execute(db);
  await sql`create index assessments_submitted_on on assessments (assessed_on, member_id)
    where status = 'submitted'`.execute(db);
  await db.schema.dropIndex('members_kpi_dimensions').execute();
  await db.schema
    .createIndex('members_joined_on')
    .on('members')
    .columns(['joined_on', 'id'])
    .execute();
  for (const event of ['insert', 'update', 'delete']) {
    await sql`drop trigger ${sql.raw(`readiness_spans_on_${event}`)} on assessments`.execute(db);
  }
  await sql`drop trigger members_refresh_spans on members`.execute(db);
  await sql`drop function members_refresh_spans()`.execute(db);
  await sql`drop function readiness_spans_refresh()`.execute(db);
  await db.schema.dropTable('readiness_spans').execute();
}
