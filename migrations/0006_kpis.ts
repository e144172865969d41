import { type Kysely, sql } from 'kysely';

/**
 * Programme KPIs (docs/kpis.md): definitions with the seeded computed and reported KPIs, targets,
 * reported values and period locks. Every period is stored as its text and its first and last
 * day, so that reports and lock checks compare dates in SQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('kpis')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'jsonb', (c) => c.notNull())
    .addColumn('description', 'jsonb')
    .addColumn('result_level', 'text', (c) =>
      c.notNull().check(sql`result_level in ('output', 'outcome', 'impact')`),
    )
    .addColumn('measure', 'text', (c) =>
      c.notNull().check(sql`measure in ('unit', 'percentage', 'qualitative')`),
    )
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('ascending', 'boolean', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('computed', 'reported')`))
    .addColumn('cumulation', 'text', (c) =>
      c.notNull().check(sql`cumulation in ('period', 'cumulative', 'snapshot')`),
    )
    .addColumn('dimensions', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('baseline_year', 'integer')
    .addColumn('baseline_value', 'double precision')
    .addColumn('end_target_year', 'integer')
    .addColumn('end_target_value', 'double precision')
    // A computed KPI seeded here: the service computes it, so its nature cannot be edited.
    .addColumn('built_in', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('targets_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'kpis_baseline_pair',
      sql`(baseline_year is null) = (baseline_value is null)`,
    )
    .addCheckConstraint(
      'kpis_end_target_pair',
      sql`(end_target_year is null) = (end_target_value is null)`,
    )
    .execute();

  await db.schema
    .createTable('kpi_targets')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kpi_code', 'text', (c) => c.notNull().references('kpis.code').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('period_end', 'date', (c) => c.notNull())
    .addColumn('disaggregation', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('kpi_targets_key', ['kpi_code', 'period', 'disaggregation'])
    .execute();

  await db.schema
    .createTable('kpi_values')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kpi_code', 'text', (c) => c.notNull().references('kpis.code'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('period_end', 'date', (c) => c.notNull())
    .addColumn('partner_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('disaggregation', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('numerator', 'double precision')
    .addColumn('denominator', 'double precision', (c) => c.check(sql`denominator > 0`))
    .addColumn('comment', 'text')
    .addColumn('evidence_url', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'uuid')
    .addColumn('updated_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'kpi_values_fraction_pair',
      sql`(numerator is null) = (denominator is null)`,
    )
    .addUniqueConstraint('kpi_values_key', ['kpi_code', 'period', 'partner_code', 'disaggregation'])
    .execute();
  await db.schema
    .createIndex('kpi_values_partner')
    .on('kpi_values')
    .columns(['partner_code', 'id'])
    .execute();
  await db.schema
    .createIndex('kpi_values_dates')
    .on('kpi_values')
    .columns(['kpi_code', 'period_start', 'period_end'])
    .execute();

  await db.schema
    .createTable('period_locks')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('period_end', 'date', (c) => c.notNull())
    // Null: the period is locked for every partner.
    .addColumn('partner_code', 'text', (c) => c.references('partners.code'))
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index period_locks_key on period_locks (period, coalesce(partner_code, ''))`.execute(
    db,
  );

  await db.insertInto('kpis').values(SEED.map(toRow)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('period_locks').execute();
  await db.schema.dropTable('kpi_values').execute();
  await db.schema.dropTable('kpi_targets').execute();
  await db.schema.dropTable('kpis').execute();
}

interface SeedKpi {
  code: string;
  fr: string;
  en: string;
  resultLevel: 'output' | 'outcome' | 'impact';
  measure: 'unit' | 'percentage';
  unit: string;
  source: 'computed' | 'reported';
  cumulation: 'period' | 'cumulative' | 'snapshot';
  dimensions: string[];
}

const MEMBER_DIMENSIONS = ['partner', 'region', 'memberType', 'womenLed'];

/** Reference data: the KPIs of docs/kpis.md, with the dimensions of its tables. */
const SEED: SeedKpi[] = [
  {
    code: 'MEMBERS_ACTIVE',
    fr: 'Membres actifs accompagnés',
    en: 'Active supported members',
    resultLevel: 'output',
    measure: 'unit',
    unit: 'members',
    source: 'computed',
    cumulation: 'snapshot',
    dimensions: MEMBER_DIMENSIONS,
  },
  {
    code: 'MEMBERS_NEW',
    fr: 'Nouveaux membres inscrits',
    en: 'New members enrolled',
    resultLevel: 'output',
    measure: 'unit',
    unit: 'members',
    source: 'computed',
    cumulation: 'period',
    dimensions: MEMBER_DIMENSIONS,
  },
  {
    code: 'COOP_WOMEN',
    fr: 'Coopératives dirigées par des femmes accompagnées',
    en: 'Women-led cooperatives supported',
    resultLevel: 'output',
    measure: 'unit',
    unit: 'cooperatives',
    source: 'computed',
    cumulation: 'snapshot',
    dimensions: ['partner', 'region'],
  },
  {
    code: 'ASSESSED',
    fr: "Diagnostics de préparation à l'export réalisés",
    en: 'Export-readiness assessments carried out',
    resultLevel: 'output',
    measure: 'unit',
    unit: 'assessments',
    source: 'computed',
    cumulation: 'period',
    dimensions: MEMBER_DIMENSIONS,
  },
  {
    code: 'EXPORT_READY',
    fr: "Membres prêts à l'export (catégorie A)",
    en: 'Export-ready members (category A)',
    resultLevel: 'outcome',
    measure: 'unit',
    unit: 'members',
    source: 'computed',
    cumulation: 'snapshot',
    dimensions: MEMBER_DIMENSIONS,
  },
  {
    code: 'READINESS_UP',
    fr: 'Membres ayant progressé de catégorie de préparation',
    en: 'Members whose readiness category improved',
    resultLevel: 'outcome',
    measure: 'unit',
    unit: 'members',
    source: 'computed',
    cumulation: 'period',
    dimensions: ['partner', 'memberType', 'womenLed'],
  },
  {
    code: 'FAIR_PARTICIPATIONS',
    fr: 'Participations à des salons commerciaux',
    en: 'Trade fair participations',
    resultLevel: 'output',
    measure: 'unit',
    unit: 'participations',
    source: 'computed',
    cumulation: 'period',
    dimensions: ['partner', 'mode'],
  },
  {
    code: 'PEOPLE_TRAINED',
    fr: 'Personnes formées ou sensibilisées',
    en: 'People trained or made aware',
    resultLevel: 'output',
    measure: 'unit',
    unit: 'people',
    source: 'computed',
    cumulation: 'period',
    dimensions: ['partner', 'sex'],
  },
  {
    code: 'EXPORT_SALES',
    fr: "Chiffre d'affaires à l'export des membres accompagnés",
    en: 'Export sales of supported members',
    resultLevel: 'impact',
    measure: 'unit',
    unit: 'MAD',
    source: 'reported',
    cumulation: 'period',
    dimensions: MEMBER_DIMENSIONS,
  },
  {
    code: 'NEW_MARKETS',
    fr: "Entreprises ayant pénétré un nouveau marché d'export",
    en: 'Firms entering a new export market',
    resultLevel: 'outcome',
    measure: 'unit',
    unit: 'firms',
    source: 'reported',
    cumulation: 'period',
    dimensions: MEMBER_DIMENSIONS,
  },
  {
    code: 'B2B_CONTACTS',
    fr: 'Contacts B2B établis',
    en: 'B2B contacts made',
    resultLevel: 'output',
    measure: 'unit',
    unit: 'contacts',
    source: 'reported',
    cumulation: 'period',
    dimensions: ['partner', 'mode'],
  },
  {
    code: 'CERTIFICATIONS',
    fr: 'Nouvelles certifications de qualité ou de durabilité',
    en: 'New quality or sustainability certifications',
    resultLevel: 'outcome',
    measure: 'unit',
    unit: 'certifications',
    source: 'reported',
    cumulation: 'period',
    dimensions: ['partner', 'memberType', 'womenLed'],
  },
  {
    code: 'BSO_SERVICES',
    fr: "Services d'appui à l'export nouveaux ou améliorés des fédérations",
    en: 'New or improved export services of federations',
    resultLevel: 'output',
    measure: 'unit',
    unit: 'services',
    source: 'reported',
    cumulation: 'cumulative',
    dimensions: ['partner'],
  },
  {
    code: 'MEMBER_SATISFACTION',
    fr: 'Membres satisfaits des services reçus',
    en: 'Members satisfied with the services received',
    resultLevel: 'outcome',
    measure: 'percentage',
    unit: '%',
    source: 'reported',
    cumulation: 'snapshot',
    dimensions: ['partner'],
  },
];

function toRow(k: SeedKpi) {
  return {
    code: k.code,
    name: JSON.stringify({ fr: k.fr, en: k.en }),
    result_level: k.resultLevel,
    measure: k.measure,
    unit: k.unit,
    ascending: true,
    source: k.source,
    cumulation: k.cumulation,
    dimensions: JSON.stringify(k.dimensions),
    built_in: k.source === 'computed',
  };
}
