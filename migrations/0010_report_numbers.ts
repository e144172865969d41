import { type Kysely, sql } from 'kysely';

/**
 * Numbers a report can sign (docs/kpis.md → Numbers): every stored KPI figure finite and within
 * ±1e15, denominators > 0. Values stored before the API checked bounds (`1e400` was stored as
 * Infinity, a fraction of two such values as NaN) are repaired here, each repair recorded in
 * the audit log with the value it removed; check constraints then keep the tables clean.
 * Also gives every seeded KPI a description saying exactly what is counted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await repairStoredNumbers(db);
  await addBounds(db);
  await describeSeededKpis(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, name] of CONSTRAINTS)
    await sql`alter table ${sql.table(table)} drop constraint if exists ${sql.ref(name)}`.execute(
      db,
    );
}

const BOUND = 1e15;
/** True for a finite value within the bounds; NaN and ±Infinity fail it. */
const within = (column: string) =>
  sql`(${sql.ref(column)} between ${sql.lit(-BOUND)}::float8 and ${sql.lit(BOUND)}::float8)`;
const positive = (column: string) =>
  sql`(${sql.ref(column)} > 0 and ${sql.ref(column)} <= ${sql.lit(BOUND)}::float8)`;

type Check = ReturnType<typeof sql>;
const CONSTRAINTS: [table: string, name: string, check: Check][] = [
  ['kpi_values', 'kpi_values_value_bounds', within('value')],
  ['kpi_values', 'kpi_values_numerator_bounds', sql`(numerator is null or ${within('numerator')})`],
  [
    'kpi_values',
    'kpi_values_denominator_bounds',
    sql`(denominator is null or ${positive('denominator')})`,
  ],
  ['kpi_targets', 'kpi_targets_value_bounds', within('value')],
  ['kpis', 'kpis_baseline_bounds', sql`(baseline_value is null or ${within('baseline_value')})`],
  [
    'kpis',
    'kpis_end_target_bounds',
    sql`(end_target_value is null or ${within('end_target_value')})`,
  ],
];

async function addBounds(db: Kysely<any>) {
  for (const [table, name, check] of CONSTRAINTS)
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(name)} check (${check})`.execute(
      db,
    );
}

/**
 * Removes what cannot be repaired into a true figure (a reported value or a target out of
 * bounds is deleted; a baseline or end target is cleared), writing one audit event per repair
 * with the removed numbers as text (JSON has no Infinity). Exported for its test.
 */
export async function repairStoredNumbers(db: Kysely<any>): Promise<void> {
  const audit = (entity: string, partner: Check, changes: Check) =>
    sql`insert into audit_events (id, actor_key_id, partner_code, entity, entity_id, action, changes)
      select gen_random_uuid(), null, ${partner}, ${entity}, r.id::text, 'repair', ${changes}
      from repaired r`;
  await sql`
    with repaired as (
      delete from kpi_values
      where not ${within('value')}
        or (numerator is not null and not ${within('numerator')})
        or (denominator is not null and not ${positive('denominator')})
      returning *)
    ${audit(
      'kpiValue',
      sql`r.partner_code`,
      sql`jsonb_build_object(
        'kpi', jsonb_build_object('from', r.kpi_code),
        'period', jsonb_build_object('from', r.period),
        'disaggregation', jsonb_build_object('from', r.disaggregation),
        'value', jsonb_build_object('from', r.value::text),
        'numerator', jsonb_build_object('from', r.numerator::text),
        'denominator', jsonb_build_object('from', r.denominator::text),
        'comment', jsonb_build_object('from', r.comment))`,
    )}`.execute(db);
  await sql`
    with repaired as (
      delete from kpi_targets where not ${within('value')} returning *)
    ${audit(
      'kpiTarget',
      sql`null`,
      sql`jsonb_build_object(
        'kpi', jsonb_build_object('from', r.kpi_code),
        'period', jsonb_build_object('from', r.period),
        'disaggregation', jsonb_build_object('from', r.disaggregation),
        'value', jsonb_build_object('from', r.value::text))`,
    )}`.execute(db);
  for (const field of ['baseline', 'end_target'] as const) {
    const value = `${field}_value`;
    const camel = field === 'baseline' ? 'baseline' : 'endTarget';
    await sql`
      with repaired as (
        update kpis k set ${sql.ref(`${field}_year`)} = null, ${sql.ref(value)} = null,
          version = k.version + 1, updated_at = now()
        from kpis old
        where old.code = k.code and not ${within(`old.${value}`)}
        returning k.code as id, old.${sql.ref(`${field}_year`)} as year, old.${sql.ref(value)} as value)
      ${audit(
        'kpi',
        sql`null`,
        sql`jsonb_build_object(${camel}::text, jsonb_build_object('from',
          jsonb_build_object('year', r.year, 'value', r.value::text)))`,
      )}`.execute(db);
  }
}

/** What each seeded KPI counts, in the words of docs/kpis.md (only where none was written). */
const DESCRIPTIONS: Record<string, { fr: string; en: string }> = {
  MEMBERS_ACTIVE: {
    fr: 'Nombre de membres actifs au dernier jour de la période : inscrits (joinedOn) au plus tard ce jour-là et non retirés ce jour-là ou avant (withdrawnOn vide ou postérieur).',
    en: 'Number of members active on the last day of the period: joined (joinedOn) on or before that day and not withdrawn on or before it (withdrawnOn empty or later).',
  },
  MEMBERS_NEW: {
    fr: "Nombre de membres dont la date d'adhésion (joinedOn) tombe dans la période, qu'ils soient encore actifs ou non.",
    en: 'Number of members whose joining date (joinedOn) falls within the period, whether or not they are still active.',
  },
  COOP_WOMEN: {
    fr: 'Nombre de coopératives dirigées par des femmes (type cooperative, womenLed) actives au dernier jour de la période.',
    en: 'Number of women-led cooperatives (type cooperative, womenLed) active on the last day of the period.',
  },
  ASSESSED: {
    fr: "Nombre de diagnostics soumis dont la date (assessedOn) tombe dans la période ; les brouillons ne comptent pas, chaque diagnostic d'un même membre compte.",
    en: 'Number of submitted assessments dated (assessedOn) within the period; drafts do not count, every assessment of a member counts.',
  },
  EXPORT_READY: {
    fr: 'Nombre de membres actifs au dernier jour de la période dont la catégorie à ce jour (celle de leur dernier diagnostic soumis daté au plus tard ce jour-là) est A.',
    en: 'Number of members active on the last day of the period whose category on that day (that of their latest submitted assessment dated on or before it) is A.',
  },
  READINESS_UP: {
    fr: "Nombre de membres actifs au dernier jour de la période dont la catégorie à ce jour est meilleure que leur catégorie la veille du premier jour (les deux doivent exister ; INCOMPLETE n'est pas une catégorie).",
    en: 'Number of members active on the last day of the period whose category on that day is better than their category on the day before the first day (both must exist; INCOMPLETE is not a category).',
  },
  FAIR_PARTICIPATIONS: {
    fr: 'Nombre de participations (activité × membre) à des salons commerciaux (trade_fair) qui commencent dans la période ; le partenaire est celui du membre.',
    en: 'Number of participations (activity × member) in trade fairs (trade_fair) starting within the period; the partner is the member’s.',
  },
  PEOPLE_TRAINED: {
    fr: 'Somme des femmes et des hommes déclarés pour chaque participation à une formation ou une sensibilisation (training, awareness) qui commence dans la période ; une personne venue deux fois compte deux fois.',
    en: 'Sum of the women and men reported for each participation in a training or awareness activity (training, awareness) starting within the period; a person attending twice counts twice.',
  },
  EXPORT_SALES: {
    fr: "Chiffre d'affaires à l'export des membres accompagnés, en dirhams, déclaré par chaque partenaire pour la période ; le total est la somme des déclarations des partenaires.",
    en: 'Export sales of supported members, in Moroccan dirhams, reported by each partner for the period; the total is the sum of the partners’ reports.',
  },
  NEW_MARKETS: {
    fr: "Nombre d'entreprises ayant exporté pour la première fois vers un pays où elles n'exportaient pas, déclaré par chaque partenaire pour la période ; le total est la somme des partenaires.",
    en: 'Number of firms that exported for the first time to a country they did not export to before, reported by each partner for the period; the total is the sum over partners.',
  },
  B2B_CONTACTS: {
    fr: 'Nombre de contacts B2B établis entre membres et acheteurs (rendez-vous tenus), déclaré par chaque partenaire pour la période ; le total est la somme des partenaires.',
    en: 'Number of B2B contacts made between members and buyers (meetings held), reported by each partner for the period; the total is the sum over partners.',
  },
  CERTIFICATIONS: {
    fr: 'Nombre de certifications de qualité ou de durabilité obtenues par des membres dans la période (les renouvellements ne comptent pas), déclaré par chaque partenaire ; le total est la somme des partenaires.',
    en: 'Number of quality or sustainability certifications obtained by members within the period (renewals do not count), reported by each partner; the total is the sum over partners.',
  },
  BSO_SERVICES: {
    fr: "Nombre de services d'appui à l'export nouveaux ou améliorés mis en place par une fédération dans la période, déclaré par la fédération ; le total est la somme des partenaires.",
    en: 'Number of new or improved export support services a federation put in place within the period, reported by the federation; the total is the sum over partners.',
  },
  MEMBER_SATISFACTION: {
    fr: 'Part des membres interrogés qui se déclarent satisfaits des services reçus, en % : numérateur (satisfaits) / dénominateur (interrogés) × 100 ; entre partenaires, Σ numérateurs / Σ dénominateurs.',
    en: 'Share of surveyed members who say they are satisfied with the services received, in %: numerator (satisfied) / denominator (surveyed) × 100; across partners, Σ numerators / Σ denominators.',
  },
};

async function describeSeededKpis(db: Kysely<any>) {
  for (const [code, text] of Object.entries(DESCRIPTIONS)) {
    await db
      .updateTable('kpis')
      .set({ description: JSON.stringify(text) })
      .where('code', '=', code)
      .where('description', 'is', null)
      .execute();
  }
}
