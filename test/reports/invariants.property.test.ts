import fc from 'fast-check';
import { sql } from 'kysely';
import t from 'tap';
import { v7 as uuidv7 } from 'uuid';
import { startTestApp } from '../helpers/app.js';

/**
 * Generated registries, written with SQL (hundreds of rows per run, with chosen submission
 * times for same-day ties; the property is about the aggregation, not the API): every report's
 * total row equals the sum of its breakdown rows, and three KPIs equal a plain reference count.
 */

const PARTNERS = ['ASMEX', 'FENIP', 'AMITH'];
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
const scenarioArb = fc.record({
  members: fc.array(memberArb, { minLength: 1, maxLength: 40 }),
  assessments: fc.array(assessmentArb, { maxLength: 60 }),
  activities: fc.array(activityArb, { maxLength: 12 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

t.test('report invariants on generated data', async (t) => {
  const { app, api } = await startTestApp(t);
  const db = app.db;

  async function load(s: Scenario) {
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
    return { members, assessments };
  }

  /** Reference counts, straight from docs/kpis.md, in plain code. */
  function reference(data: Awaited<ReturnType<typeof load>>, start: string, end: string) {
    const active = data.members.filter(
      (m) => m.joinedOn <= end && (m.withdrawnOn === null || m.withdrawnOn > end),
    );
    const categoryAt = (memberId: string, e: string) => {
      const latest = data.assessments
        .filter((a) => a.memberId === memberId && a.status === 'submitted' && a.assessedOn <= e)
        .sort((x, y) =>
          x.assessedOn !== y.assessedOn
            ? y.assessedOn.localeCompare(x.assessedOn)
            : (y.submittedAt as string).localeCompare(x.submittedAt as string) ||
              y.id.localeCompare(x.id),
        )[0];
      return latest && latest.category !== 'INCOMPLETE' ? latest.category : null;
    };
    const before = addDays(start, -1);
    return {
      MEMBERS_ACTIVE: active.length,
      EXPORT_READY: active.filter((m) => categoryAt(m.id, end) === 'A').length,
      READINESS_UP: active.filter((m) => {
        const [now, then] = [categoryAt(m.id, end), categoryAt(m.id, before)];
        return now !== null && then !== null && now < then;
      }).length,
    };
  }

  const COMPUTED = {
    MEMBERS_ACTIVE: ['partner', 'region', 'memberType', 'womenLed'],
    MEMBERS_NEW: ['partner', 'region', 'memberType', 'womenLed'],
    COOP_WOMEN: ['partner', 'region'],
    ASSESSED: ['partner', 'region', 'memberType', 'womenLed'],
    EXPORT_READY: ['partner', 'region', 'memberType', 'womenLed'],
    READINESS_UP: ['partner', 'memberType', 'womenLed'],
    FAIR_PARTICIPATIONS: ['partner', 'mode'],
    PEOPLE_TRAINED: ['partner', 'sex'],
  } as const;

  await fc.assert(
    fc.asyncProperty(
      scenarioArb,
      fc.constantFrom('2024', '2025Q2', '2024-07'),
      fc.constantFrom(0, 1, 2, 3),
      async (scenario, period, pick) => {
        const data = await load(scenario);
        for (const [kpi, dims] of Object.entries(COMPUTED)) {
          const by = [dims[pick % dims.length], dims[(pick + 1) % dims.length]].join(',');
          const res = await api({
            method: 'GET',
            url: `/v1/reports/kpis?period=${period}&kpi=${kpi}&by=${by}`,
          });
          if (res.statusCode !== 200) throw new Error(res.body);
          const rows = res.json().rows as { disaggregation: object; actual: number }[];
          const [total, ...groups] = rows;
          if (JSON.stringify(total?.disaggregation) !== '{}')
            throw new Error(`${kpi}: no total first`);
          const sum = groups.reduce((acc, r) => acc + r.actual, 0);
          if (sum !== total?.actual)
            throw new Error(`${kpi} by ${by}: total ${total?.actual} ≠ Σ ${sum}`);
          if (kpi in { MEMBERS_ACTIVE: 1, EXPORT_READY: 1, READINESS_UP: 1 }) {
            const p = res.json().periods[0];
            const expected = reference(data, p.start, p.end)[kpi as 'MEMBERS_ACTIVE'];
            if (expected !== total?.actual)
              throw new Error(`${kpi} ${period}: ${total?.actual}, reference ${expected}`);
          }
        }
      },
    ),
    { numRuns: 12, seed: 20251, endOnFailure: true },
  );
  t.pass('total = Σ breakdown for every computed KPI; three KPIs match the reference count');
});
