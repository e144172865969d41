import { type Kysely, sql } from 'kysely';

/**
 * Programme activities (trainings, trade fairs, B2B missions, coaching, awareness) and the
 * members who took part, with the counts of women and men each sent. Also the indexes the KPI
 * report's aggregates need on members and assessments (docs/kpis.md: everything "as of" a day).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('activities')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('partner_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('type', 'text', (c) =>
      c
        .notNull()
        .check(sql`type in ('training', 'trade_fair', 'b2b_mission', 'coaching', 'awareness')`),
    )
    .addColumn('mode', 'text', (c) =>
      c.notNull().check(sql`mode in ('physical', 'digital', 'hybrid')`),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull())
    .addColumn('city', 'text')
    .addColumn('region', 'text')
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('activities_dates', sql`ends_on >= starts_on`)
    .execute();
  // Lists are keyset-paginated by id; the KPI aggregates select by type and start date.
  await db.schema
    .createIndex('activities_partner_code_id')
    .on('activities')
    .columns(['partner_code', 'id'])
    .execute();
  await db.schema
    .createIndex('activities_type_starts_on')
    .on('activities')
    .columns(['type', 'starts_on'])
    .execute();
  await db.schema
    .createIndex('activities_starts_on_id')
    .on('activities')
    .columns(['starts_on', 'id'])
    .execute();

  await db.schema
    .createTable('participations')
    .addColumn('activity_id', 'uuid', (c) =>
      c.notNull().references('activities.id').onDelete('cascade'),
    )
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    // The participant's place in the list as given, so that it reads back the same.
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('women', 'integer', (c) => c.notNull().check(sql`women >= 0`))
    .addColumn('men', 'integer', (c) => c.notNull().check(sql`men >= 0`))
    .addPrimaryKeyConstraint('participations_pkey', ['activity_id', 'member_id'])
    .execute();
  await db.schema
    .createIndex('participations_member_activity')
    .on('participations')
    .columns(['member_id', 'activity_id'])
    .execute();

  // "Category at e": the latest submitted assessment per member, read backwards and index-only.
  await sql`create index assessments_latest_category on assessments
    (member_id desc, assessed_on desc, submitted_at desc, id desc) include (category)
    where status = 'submitted'`.execute(db);
  // ASSESSED counts submitted assessments by date.
  await sql`create index assessments_submitted_on on assessments (assessed_on, member_id)
    where status = 'submitted'`.execute(db);
  // MEMBERS_NEW counts members by the day they joined.
  await db.schema
    .createIndex('members_joined_on')
    .on('members')
    .columns(['joined_on', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('members_joined_on').execute();
  await db.schema.dropIndex('assessments_submitted_on').execute();
  await db.schema.dropIndex('assessments_latest_category').execute();
  await db.schema.dropTable('participations').execute();
  await db.schema.dropTable('activities').execute();
}
