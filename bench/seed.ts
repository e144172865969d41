// Seeds a programme-scale dataset with set-based SQL (generate_series inside the database, no
// API calls): members over the three partners and twelve regions, submitted assessments on the
// default grid with the members' readiness columns derived from them, activities with
// participations, and four years of reported KPI values and targets. Works on PostgreSQL and
// on PGlite (the same SQL through a pg client).
import type pg from 'pg';
import subdivisions from '../src/modules/reference/morocco-subdivisions.json' with { type: 'json' };
import { REGIONS } from '../src/modules/reference/subdivisions.js';
import { answerProfiles } from './answers.js';

export interface SeedCounts {
  members: number;
  assessments: number;
  activities: number;
  participations: number;
  kpiValues: number;
}

/** Programme scale at --scale 1. */
const FULL_SCALE = { members: 100_000, assessments: 300_000, activities: 20_000 };
const PARTICIPANTS_PER_ACTIVITY = 10;
const PROGRAMME_START = '2023-01-02';

/** A UUID v7 from a timestamp expression, its random bits from md5 of a salt: time-ordered. */
const uuid7 = (ts: string, salt: string) =>
  `(lpad(to_hex((extract(epoch from ${ts}) * 1000)::bigint), 12, '0') || '7' ||
    substr(md5(${salt}), 1, 3) || '8' || substr(md5(${salt}), 4, 15))::uuid`;

const textArray = (values: readonly string[]) =>
  `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]::text[]`;

/** Region of a partner's member, as 20 weighted slots (FENIP on the coast, Souss-Massa first). */
const REGION_SLOTS: Record<string, string[]> = {
  ASMEX: [
    ...Array(6).fill('MA-06'),
    ...Array(2).fill('MA-01'),
    ...Array(2).fill('MA-03'),
    ...Array(2).fill('MA-04'),
    ...Array(2).fill('MA-07'),
    ...Array(2).fill('MA-09'),
    'MA-02',
    'MA-05',
    'MA-08',
    'MA-10',
  ],
  FENIP: [
    ...Array(11).fill('MA-09'),
    ...Array(2).fill('MA-11'),
    ...Array(2).fill('MA-12'),
    ...Array(2).fill('MA-01'),
    'MA-06',
    'MA-10',
    'MA-07',
  ],
  AMITH: [
    ...Array(9).fill('MA-06'),
    ...Array(4).fill('MA-01'),
    ...Array(3).fill('MA-03'),
    ...Array(2).fill('MA-04'),
    'MA-07',
    'MA-02',
  ],
};
const HS_CODES: Record<string, string[]> = {
  ASMEX: ['091020', '151010', '080510', '070200', '330129', '200899', '081320', '121190'],
  FENIP: ['030389', '160413', '160414', '030743', '030617', '160420', '030389', '230120'],
  AMITH: ['610910', '620342', '611020', '520812', '620462', '610462', '630260', '640399'],
};
const WORDS: Record<string, string[]> = {
  ASMEX: ['Argan', 'Safran', 'Atlas', 'Zitoun', 'Tafilalet', 'Amlou', 'Nakhil', 'Rif'],
  FENIP: [
    'Sardina',
    'Bahr',
    'Agadir Pêche',
    'Atlantique',
    'Sahel',
    'Dakhla Mer',
    'Poulpe',
    'Anchois',
  ],
  AMITH: ['Textile', 'Confection', 'Denim', 'Broderie', 'Tissage', 'Mode', 'Fibre', 'Coton'],
};

function provinceCase(): string {
  const byRegion = new Map<string, string[]>();
  for (const p of subdivisions.provinces) {
    byRegion.set(p.region, [...(byRegion.get(p.region) ?? []), p.code]);
  }
  const arms = REGIONS.map((r) => {
    const list = byRegion.get(r.code) ?? [];
    return `when '${r.code}' then (${textArray(list)})[1 + floor(r7 * ${list.length})::int]`;
  });
  return `case region ${arms.join(' ')} end`;
}

const perPartner = (pick: (code: string) => string) =>
  `case partner ${['ASMEX', 'FENIP', 'AMITH'].map((c) => `when '${c}' then ${pick(c)}`).join(' ')} end`;

function membersSql(n: number): string {
  const slot = (code: string) =>
    `(${textArray(REGION_SLOTS[code] as string[])})[1 + floor(r2 * 20)::int]`;
  const hs = (k: string) => (code: string) =>
    `(${textArray(HS_CODES[code] as string[])})[1 + floor(${k} * 8)::int]`;
  const word = (code: string) => `(${textArray(WORDS[code] as string[])})[1 + floor(r5 * 8)::int]`;
  return `
  with s as (
    select i, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6,
      random() r7, random() r8, random() r9,
      timestamptz '${PROGRAMME_START}' + (i::float8 / ${n}) * (now() - interval '3 days' - timestamptz '${PROGRAMME_START}') as created
    from generate_series(1, ${n}) i
  ), p as (
    select s.*, case when r1 < 0.35 then 'ASMEX' when r1 < 0.75 then 'FENIP' else 'AMITH' end as partner
    from s
  ), t as (
    select p.*,
      case when partner = 'AMITH' then (case when r3 < 0.82 then 'company' when r3 < 0.92 then 'cooperative' when r3 < 0.97 then 'gie' else 'association' end)
           when partner = 'FENIP' then (case when r3 < 0.62 then 'company' when r3 < 0.9 then 'cooperative' when r3 < 0.96 then 'gie' else 'association' end)
           else (case when r3 < 0.48 then 'company' when r3 < 0.88 then 'cooperative' when r3 < 0.95 then 'gie' else 'association' end) end as mtype,
      ${perPartner(slot)} as region,
      1000000000000 + i * 7 as ice_prefix
    from p
  ), u as (
    select t.*, ${provinceCase()} as province,
      (case mtype when 'cooperative' then 'Coopérative ' when 'gie' then 'GIE ' when 'association' then 'Association ' else 'Société ' end)
        || ${perPartner(word)} || ' ' || i as name,
      ${perPartner(hs('r6'))} as hs1, ${perPartner(hs('r8'))} as hs2,
      (case mtype when 'company' then r4 < 0.95 when 'gie' then r4 < 0.9 when 'cooperative' then r4 < 0.5 else r4 < 0.2 end) as has_ice,
      (case when mtype = 'cooperative' then r9 < 0.45 else r9 < 0.2 end) as women_led,
      (case when r9 > 0.97 then 'withdrawn' when r9 > 0.96 then 'suspended' else 'active' end) as status
    from t
  )
  insert into members (id, partner_code, external_ref, type, name, name_search, legal_form, ice, tax_id,
    rc_tribunal, rc_number, region, province, city, remote_area, women_led, members_women, members_men,
    employees_women, employees_men, products, hs_codes, certifications, export_markets, target_markets,
    digital, contacts, joined_on, status, withdrawn_on, created_at, updated_at)
  select ${uuid7('created', "'m' || i")}, partner, partner || '-' || lpad(i::text, 7, '0'), mtype, name,
    translate(lower(name), 'éèêàâîïôûç', 'eeeaaiiouc'),
    case mtype when 'company' then (case when r6 < 0.7 then 'SARL' when r6 < 0.85 then 'SARL AU' else 'SA' end)
      when 'cooperative' then 'coopérative' when 'gie' then 'GIE' else 'association' end,
    case when has_ice then lpad(ice_prefix::text, 13, '0') || lpad(((97 - (ice_prefix * 100) % 97) % 97)::text, 2, '0') end,
    case when has_ice then (10000000 + i)::text end,
    case when mtype = 'company' then (${textArray(['Casablanca', 'Agadir', 'Tanger', 'Rabat', 'Fès'])})[1 + floor(r7 * 5)::int] end,
    case when mtype = 'company' then (100000 + i)::text end,
    region, case when r8 < 0.85 then province end, null, r4 > 0.85 or (mtype = 'cooperative' and r4 > 0.7),
    women_led,
    case when mtype in ('cooperative', 'association') then 3 + floor(r5 * 40)::int end,
    case when mtype in ('cooperative', 'association') then floor(r6 * 30)::int end,
    case when mtype in ('company', 'gie') then floor(r5 * 60)::int end,
    case when mtype in ('company', 'gie') then 1 + floor(r6 * 80)::int end,
    case when r2 < 0.5 then jsonb_build_array(jsonb_build_object('hsCode', hs1, 'name', 'Produit ' || hs1))
      else jsonb_build_array(jsonb_build_object('hsCode', hs1, 'name', 'Produit ' || hs1, 'organic', r3 < 0.3),
        jsonb_build_object('hsCode', hs2, 'name', 'Produit ' || hs2)) end,
    case when r2 < 0.5 or hs1 = hs2 then array[hs1] else array[hs1, hs2] end,
    case when r7 < 0.25 then '[{"scheme": "ISO 22000", "body": "Bureau Veritas"}]'::jsonb
      when r7 < 0.35 then '[{"scheme": "EU organic", "validUntil": "2027-06-30"}]'::jsonb else '[]'::jsonb end,
    case when r8 < 0.4 then '{FR,ES}'::text[] when r8 < 0.55 then '{FR,DE,NL,CH}'::text[] else '{}'::text[] end,
    case when r9 < 0.5 then '{CH,DE}'::text[] else '{CA,AE}'::text[] end,
    case when r5 < 0.4 then jsonb_build_object('website', 'https://m' || i || '.example.ma', 'ecommerce', r6 < 0.2) end,
    jsonb_build_array(jsonb_build_object('name', 'Contact ' || i, 'role', 'Gérant·e',
      'email', 'contact' || i || '@example.ma', 'phone', '+2126' || lpad((i % 100000000)::text, 8, '0'))),
    created::date, status,
    case when status = 'withdrawn' then least(created::date + 30 + floor(r1 * 400)::int, current_date) end,
    created, created
  from u`;
}

/** Assessments spread over the members; later visits tend to score better (READINESS_UP). */
function assessmentsSql(m: number, profiles: number): string {
  return `
  with mem as (select id, partner_code, row_number() over (order by id) as k from members),
  n as (select count(*) as c from mem),
  s as (
    select j, random() r1, random() r2, random() r3,
      1 + ((j::bigint * 2654435761) % (select c from n)) as k
    from generate_series(1, ${m}) j
  ), d as (
    select s.*, date '2023-01-02' + floor(r1 * (current_date - 1 - date '2023-01-02'))::int as assessed_on
    from s
  ), q as (
    select d.*, least(${profiles - 1}, floor(r2 * ${profiles - 2} + ((assessed_on - date '2023-01-02')::float8 / (current_date - date '2023-01-02')) * 2.5))::int as profile
    from d
  )
  insert into assessments (id, member_id, partner_code, grid_id, status, assessed_on, assessor, answers,
    result, score, category, submitted_at, version, created_at, updated_at)
  select ${uuid7("(assessed_on + interval '10 hours' + r3 * interval '8 hours')", "'a' || j")},
    mem.id, mem.partner_code, g.id, 'submitted', assessed_on,
    jsonb_build_object('name', 'Consultant·e ' || (j % 40), 'organisation', 'SIPPO'),
    bp.answers, bp.result, bp.score, bp.category,
    assessed_on + interval '10 hours' + r3 * interval '8 hours', 2,
    assessed_on + interval '9 hours', assessed_on + interval '10 hours' + r3 * interval '8 hours'
  from q join mem on mem.k = q.k
  join bench_profiles bp on bp.k = q.profile
  cross join (select id from grids where code = 'SIPPO-ERG' and version = 1) g`;
}

const READINESS_SQL = `
  update members m set readiness_category = l.category, readiness_assessment_id = l.id,
    readiness_assessed_on = l.assessed_on
  from (select distinct on (member_id) member_id, id, category, assessed_on from assessments
        where status = 'submitted' order by member_id, assessed_on desc, submitted_at desc, id desc) l
  where l.member_id = m.id`;

function activitiesSql(a: number): string {
  return `
  with s as (
    select k, random() r1, random() r2, random() r3, random() r4,
      date '2023-01-09' + floor(random() * (current_date - 5 - date '2023-01-09'))::int as starts_on
    from generate_series(1, ${a}) k
  ), t as (
    select s.*, case when r1 < 0.35 then 'training' when r1 < 0.5 then 'trade_fair'
      when r1 < 0.65 then 'b2b_mission' when r1 < 0.85 then 'coaching' else 'awareness' end as atype
    from s
  )
  insert into activities (id, partner_code, type, mode, title, starts_on, ends_on, city, region, country,
    created_at, updated_at)
  select ${uuid7('starts_on::timestamptz', "'act' || k")},
    (array['ASMEX', 'FENIP', 'AMITH'])[1 + floor(r2 * 3)::int], atype,
    case when r3 < 0.7 then 'physical' when r3 < 0.9 then 'digital' else 'hybrid' end,
    initcap(replace(atype, '_', ' ')) || ' ' || k, starts_on, starts_on + floor(r4 * 4)::int,
    case when atype = 'trade_fair' then (array['Paris', 'Cologne', 'Dubai', 'Madrid', 'Zurich'])[1 + floor(r4 * 5)::int]
      else (array['Casablanca', 'Agadir', 'Tanger', 'Marrakech', 'Fès'])[1 + floor(r4 * 5)::int] end,
    case when atype = 'trade_fair' then null else (array['MA-06', 'MA-09', 'MA-01', 'MA-07', 'MA-03'])[1 + floor(r4 * 5)::int] end,
    case when atype = 'trade_fair' then (array['FR', 'DE', 'AE', 'ES', 'CH'])[1 + floor(r4 * 5)::int] else 'MA' end,
    starts_on - 20, starts_on - 20
  from t`;
}

/** Ten distinct members per activity (offsets a tenth of the registry apart). */
function participationsSql(): string {
  return `
  with mem as (select id, row_number() over (order by id) - 1 as k from members),
  n as (select count(*) as c from mem),
  act as (select id, row_number() over (order by id) as k from activities)
  insert into participations (activity_id, member_id, position, women, men)
  select act.id, mem.id, j, floor(random() * 4)::int, floor(random() * 4)::int
  from act cross join generate_series(0, ${PARTICIPANTS_PER_ACTIVITY - 1}) j
  join mem on mem.k = (act.k * 131 + j * ((select c from n) / ${PARTICIPANTS_PER_ACTIVITY})) % (select c from n)`;
}

/** Quarterly reported values 2023–2026 per partner (totals and breakdowns), yearly targets. */
function kpiValuesSql(scale: number): string {
  return `
  with q as (
    select y, qn, make_date(y, 3 * qn - 2, 1) as ps,
      (make_date(y, 3 * qn - 2, 1) + interval '3 months' - interval '1 day')::date as pe
    from generate_series(2023, 2026) y cross join generate_series(1, 4) qn
    where make_date(y, 3 * qn - 2, 1) + interval '3 months' <= current_date + 1
  ), k as (
    select code, measure, dims from (values
      ('EXPORT_SALES', 'unit', '[{}, {"memberType": "company"}, {"memberType": "cooperative"}, {"womenLed": true}]'::jsonb),
      ('NEW_MARKETS', 'unit', '[{}, {"memberType": "company"}, {"memberType": "cooperative"}]'::jsonb),
      ('B2B_CONTACTS', 'unit', '[{}, {"mode": "physical"}, {"mode": "digital"}]'::jsonb),
      ('CERTIFICATIONS', 'unit', '[{}, {"womenLed": true}, {"womenLed": false}]'::jsonb),
      ('BSO_SERVICES', 'unit', '[{}]'::jsonb),
      ('MEMBER_SATISFACTION', 'percentage', '[{}]'::jsonb)) v(code, measure, dims)
  )
  insert into kpi_values (id, kpi_code, period, period_start, period_end, partner_code, disaggregation,
    value, numerator, denominator, comment, created_at, updated_at)
  select ${uuid7('q.ps::timestamptz', 'k.code || q.y || q.qn || p.code || d.value::text')}, k.code,
    q.y || 'Q' || q.qn, q.ps, q.pe, p.code, d.value,
    case when k.measure = 'percentage' then 60 + floor(random() * 35)
      when k.code = 'EXPORT_SALES' then round((random() * 4e7 + 1e6) * ${scale})
      else floor(random() * 200 * ${scale}) + 1 end,
    case when k.measure = 'percentage' then floor(random() * 300) + 100 end,
    case when k.measure = 'percentage' then 500 end,
    'seeded for the benchmark', q.pe + 10, q.pe + 10
  from q cross join k cross join partners p cross join jsonb_array_elements(k.dims) d`;
}

const TARGETS_SQL = `
  insert into kpi_targets (id, kpi_code, period, period_start, period_end, disaggregation, value)
  select gen_random_uuid(), k.code, y::text, make_date(y, 1, 1), make_date(y, 12, 31), d.dis,
    case when k.measure = 'percentage' then 80 else 100 * (y - 2022) end
  from kpis k cross join generate_series(2023, 2026) y
  cross join lateral (select '{}'::jsonb as dis union all
    select jsonb_build_object('partner', p.code) from partners p where k.dimensions ? 'partner') d
  on conflict do nothing`;

async function timed(
  log: (line: string) => void,
  label: string,
  run: () => Promise<number | null>,
) {
  const started = performance.now();
  const rows = await run();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`seed: ${label}${rows === null ? '' : `: ${rows.toLocaleString('en')} rows`} (${seconds} s)`);
  return rows ?? 0;
}

/** Fills an empty, migrated database; returns the row counts. */
export async function seedDataset(
  client: pg.ClientBase,
  scale: number,
  log: (line: string) => void,
): Promise<SeedCounts> {
  const n = Math.max(100, Math.round(FULL_SCALE.members * scale));
  const m = Math.round(FULL_SCALE.assessments * scale);
  const a = Math.round(FULL_SCALE.activities * scale);
  const exec = async (text: string, params?: unknown[]) =>
    (await client.query(text, params)).rowCount;
  const profiles = answerProfiles();
  await client.query(
    'create temporary table bench_profiles (k int primary key, answers jsonb, result jsonb, score float8, category text)',
  );
  for (const [k, p] of profiles.entries()) {
    await client.query('insert into bench_profiles values ($1, $2, $3, $4, $5)', [
      k,
      JSON.stringify(p.answers),
      JSON.stringify(p.result),
      p.result.score,
      p.result.category,
    ]);
  }
  const members = await timed(log, 'members', () => exec(membersSql(n)));
  const assessments = await timed(log, 'submitted assessments', () =>
    exec(assessmentsSql(m, profiles.length)),
  );
  await timed(log, 'members’ readiness from their latest assessment', () => exec(READINESS_SQL));
  const activities = await timed(log, 'activities', () => exec(activitiesSql(a)));
  const participations = await timed(log, 'participations', () => exec(participationsSql()));
  const kpiValues = await timed(log, 'reported KPI values 2023–2026', () =>
    exec(kpiValuesSql(scale)),
  );
  await timed(log, 'KPI targets', () => exec(TARGETS_SQL));
  await timed(log, 'vacuum analyze', async () => {
    await client.query('vacuum analyze');
    return null;
  });
  await client.query('drop table bench_profiles');
  return { members, assessments, activities, participations, kpiValues };
}
