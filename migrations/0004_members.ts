import { type Kysely, sql } from 'kysely';

/**
 * Members of the partner federations. Products, certifications, contacts and digital presence
 * are jsonb documents; the HS codes of the products are repeated in a text[] with a GIN index so
 * that the `hsCode` filter is indexed. Counts by sex are plain integers for the KPI aggregates.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('members')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('partner_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('external_ref', 'text')
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('company', 'cooperative', 'gie', 'association')`),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_search', 'text', (c) => c.notNull())
    .addColumn('legal_form', 'text')
    .addColumn('ice', 'text')
    .addColumn('tax_id', 'text')
    .addColumn('rc_tribunal', 'text')
    .addColumn('rc_number', 'text')
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('province', 'text')
    .addColumn('city', 'text')
    .addColumn('remote_area', 'boolean', (c) => c.notNull())
    .addColumn('women_led', 'boolean', (c) => c.notNull())
    .addColumn('members_women', 'integer')
    .addColumn('members_men', 'integer')
    .addColumn('employees_women', 'integer')
    .addColumn('employees_men', 'integer')
    .addColumn('products', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('hs_codes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('certifications', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('export_markets', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('target_markets', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('digital', 'jsonb')
    .addColumn('contacts', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('joined_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'suspended', 'withdrawn')`),
    )
    .addColumn('withdrawn_on', 'date')
    .addColumn('personal_data_erased_at', 'timestamptz')
    .addColumn('readiness_category', 'text')
    .addColumn('readiness_assessment_id', 'uuid')
    .addColumn('readiness_assessed_on', 'date')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('members_partner_external_ref', ['partner_code', 'external_ref'])
    .addCheckConstraint(
      'members_withdrawn_on',
      sql`withdrawn_on is null or withdrawn_on >= joined_on`,
    )
    .addCheckConstraint(
      'members_withdrawn_status',
      sql`(status = 'withdrawn') = (withdrawn_on is not null)`,
    )
    .execute();

  await db.schema.createIndex('members_ice').unique().on('members').column('ice').execute();
  // Lists are keyset-paginated by id; each filter column leads an index ending with id.
  for (const column of ['partner_code', 'region', 'province', 'type', 'status']) {
    await db.schema
      .createIndex(`members_${column}_id`)
      .on('members')
      .columns([column, 'id'])
      .execute();
  }
  await db.schema
    .createIndex('members_readiness_category_id')
    .on('members')
    .columns(['readiness_category', 'id'])
    .where(sql.ref('readiness_category'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('members_hs_codes')
    .on('members')
    .using('gin')
    .column('hs_codes')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('members').execute();
}
