import { type Kysely, sql } from 'kysely';
import { DEFAULT_GRID_ID, SIPPO_ERG_V1 } from './data/0005_default_grid.js';

/**
 * Readiness grids (versioned definitions, frozen once published) and assessments of members
 * against them (docs/scoring.md). The programme's default grid SIPPO-ERG version 1 is inserted
 * here, published, as a frozen copy of its definition: a later edit of the source file cannot
 * change what "SIPPO-ERG v1" means on any database (a changed grid is a new version).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grids')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('draft', 'published', 'retired')`),
    )
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    // The ETag of a grid: `version` is the grid's version number, a different thing.
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('published_at', 'timestamptz')
    .addColumn('retired_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('grids_code_version', ['code', 'version'])
    .addCheckConstraint('grids_published_at', sql`(status = 'draft') = (published_at is null)`)
    .addCheckConstraint('grids_retired_at', sql`(status = 'retired') = (retired_at is not null)`)
    .execute();
  // One draft per code at a time: a second would make "the next version" ambiguous.
  await db.schema
    .createIndex('grids_one_draft_per_code')
    .unique()
    .on('grids')
    .column('code')
    .where(sql.ref('status'), '=', 'draft')
    .execute();

  await db.schema
    .createTable('assessments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    // The member's partner, repeated for tenancy filters and partner KPIs without a join.
    .addColumn('partner_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('grid_id', 'uuid', (c) => c.notNull().references('grids.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'submitted')`))
    .addColumn('assessed_on', 'date', (c) => c.notNull())
    .addColumn('assessor', 'jsonb', (c) => c.notNull())
    .addColumn('answers', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('result', 'jsonb')
    .addColumn('score', 'double precision')
    .addColumn('category', 'text')
    .addColumn('rescored_from', 'uuid', (c) => c.references('assessments.id'))
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'assessments_submitted',
      sql`(status = 'submitted') = (submitted_at is not null)
        and (status = 'draft' or (result is not null and score is not null and category is not null))`,
    )
    .execute();

  // Lists are keyset-paginated by id; each filter column leads an index ending with id.
  for (const column of ['member_id', 'partner_code', 'grid_id', 'status', 'category']) {
    await db.schema
      .createIndex(`assessments_${column}_id`)
      .on('assessments')
      .columns([column, 'id'])
      .execute();
  }
  // Readiness: a member's submitted assessments by assessedOn, ties by submission.
  await db.schema
    .createIndex('assessments_member_readiness')
    .on('assessments')
    .columns(['member_id', 'assessed_on', 'submitted_at'])
    .where(sql.ref('status'), '=', 'submitted')
    .execute();

  await db.schema
    .alterTable('members')
    .addForeignKeyConstraint(
      'members_readiness_assessment',
      ['readiness_assessment_id'],
      'assessments',
      ['id'],
    )
    .execute();

  await db
    .insertInto('grids')
    .values({
      id: DEFAULT_GRID_ID,
      code: SIPPO_ERG_V1.code,
      version: 1,
      status: 'published',
      definition: JSON.stringify(SIPPO_ERG_V1),
      published_at: sql`now()`,
    })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('members').dropConstraint('members_readiness_assessment').execute();
  await db.schema.dropTable('assessments').execute();
  await db.schema.dropTable('grids').execute();
}
