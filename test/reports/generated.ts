import fc from 'fast-check';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../src/db/database.js';

/**
 * Generated registries for the report's property tests, written with SQL (hundreds of rows per
 * run, with chosen submission times for same-day ties; the properties are about the
 * aggregation, not the API).
 */

export const PARTNERS = ['ASMEX', 'FENIP', 'AMITH'];
const day = fc
  .integer({ min: 0, max: 3 * 365 })
  .map((n) => new Date(Date.UTC(2023, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));

const memberArb = fc.record({
  partner: fc.constantFrom(...PARTNERS),
  type: fc.constantFrom('company', 'cooperative', 'gie', 'association'),
  region: fc.constantFrom('MA-01', 'MA-06', 'MA-09'),
  womenLed: fc.boolean(),
  joinedOn: day,
  withdrawAfter: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
});
const assessmentArb = fc.record({
  member: fc.nat(),
  assessedOn: day,
  category: fc.constantFrom('A', 'B', 'C', 'D', 'INCOMPLETE'),
  submitted: fc.boolean(),
  submittedSecond: fc.integer({ min: 0, max: 1000 }),
});
const activityArb = fc.record({
  type: fc.constantFrom('training', 'trade_fair', 'awareness', 'coaching'),
  mode: fc.constantFrom('physical', 'digital', 'hybrid'),
  startsOn: day,
  participants: fc.uniqueArray(
    fc.record({ member: fc.nat(), women: fc.nat({ max: 9 }), men: fc.nat({ max: 9 }) }),
    { maxLength: 6, selector: (p) => p.member },
  ),
});
export const scenarioArb = fc.record({
  members: fc.array(memberArb, { minLength: 1, maxLength: 40 }),
  assessments: fc.array(assessmentArb, { maxLength: 60 }),
  activities: fc.array(activityArb, { maxLength: 12 }),
});
export type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

export const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export async function loadScenario(db: Db, s: Scenario) {
  await sql`delete from participations`.execute(db);
  await sql`delete from activities`.execute(db);
  await sql`update members set readiness_assessment_id = null`.execute(db);
  await sql`delete from assessments`.execute(db);
  await sql`delete from members`.execute(db);
  const ids = s.members.map(() => uuidv7());
  const members = s.members.map((m, i) => {
    const withdrawnOn = m.withdrawAfter === null ? null : addDays(m.joinedOn, m.withdrawAfter);
    return {
      id: ids[i] as string,
      partnerCode: m.partner,
      type: m.type as 'company',
      name: `m${i}`,
      nameSearch: `m${i}`,
      region: m.region,
      remoteArea: false,
      womenLed: m.womenLed,
      joinedOn: m.joinedOn,
      status: withdrawnOn ? ('withdrawn' as const) : ('active' as const),
      withdrawnOn,
    };
  });
  // Defaults fill products, contacts and the rest.
  await db
    .insertInto('members')
    .values(members as never)
    .execute();
  const assessments = s.assessments.map((a) => {
    const member = members[a.member % members.length] as (typeof members)[number];
    return {
      id: uuidv7(),
      memberId: member.id,
      partnerCode: member.partnerCode,
      gridId: '01936000-0000-7000-8000-000000000001',
      status: a.submitted ? ('submitted' as const) : ('draft' as const),
      assessedOn: a.assessedOn,
      assessor: '{"name":"x"}',
      answers: '[]',
      result: a.submitted ? '{}' : null,
      score: a.submitted ? 50 : null,
      category: a.submitted ? a.category : null,
      submittedAt: a.submitted
        ? new Date(Date.UTC(2026, 0, 1, 0, 0, a.submittedSecond)).toISOString()
        : null,
    };
  });
  if (assessments.length) await db.insertInto('assessments').values(assessments).execute();
  for (const a of s.activities) {
    const id = uuidv7();
    await db
      .insertInto('activities')
      .values({
        id,
        partnerCode: 'ASMEX',
        type: a.type as 'training',
        mode: a.mode as 'digital',
        title: 't',
        startsOn: a.startsOn,
        endsOn: a.startsOn,
        country: 'MA',
      })
      .execute();
    const seen = new Set<string>();
    const rows = a.participants
      .map((p, position) => ({
        activityId: id,
        memberId: ids[p.member % ids.length] as string,
        position,
        women: p.women,
        men: p.men,
      }))
      .filter((p) => !seen.has(p.memberId) && seen.add(p.memberId));
    if (rows.length) await db.insertInto('participations').values(rows).execute();
  }
}

/** The computed KPIs and the dimensions each may be broken down by (docs/kpis.md). */
export const COMPUTED_DIMENSIONS = {
  MEMBERS_ACTIVE: ['partner', 'region', 'memberType', 'womenLed'],
  MEMBERS_NEW: ['partner', 'region', 'memberType', 'womenLed'],
  COOP_WOMEN: ['partner', 'region'],
  ASSESSED: ['partner', 'region', 'memberType', 'womenLed'],
  EXPORT_READY: ['partner', 'region', 'memberType', 'womenLed'],
  READINESS_UP: ['partner', 'memberType', 'womenLed'],
  FAIR_PARTICIPATIONS: ['partner', 'mode'],
  PEOPLE_TRAINED: ['partner', 'sex'],
} as const;
