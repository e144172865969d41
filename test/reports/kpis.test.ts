import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { buildScenario } from './scenario.js';

interface Row {
  kpi: string;
  period: string;
  disaggregation: Record<string, string | boolean>;
  baseline: number | null;
  target: number | null;
  actual: number | null;
  achievement: number | null;
}

t.test('KPI report on a hand-counted scenario', async (t) => {
  // The embedded database runs on the event loop: no load shedding in this test.
  const testApp = await startTestApp(t);
  const { api, keyFor } = testApp;
  await buildScenario(testApp);

  async function report(query: string, key?: string) {
    const res = await api({
      method: 'GET',
      url: `/v1/reports/kpis?${query}`,
      ...(key ? { key } : {}),
    });
    t.equal(res.statusCode, 200, res.body);
    return res.json() as { rows: Row[]; kpis: { code: string; endTarget: unknown }[] };
  }
  /** `{disaggregation as text: actual}` of one KPI and period. */
  async function actuals(kpi: string, period: string, by = '', only = period) {
    const { rows } = await report(`period=${period}&kpi=${kpi}${by ? `&by=${by}` : ''}`);
    return Object.fromEntries(
      rows
        .filter((r) => r.period === only)
        .map((r) => [JSON.stringify(r.disaggregation), r.actual]),
    );
  }

  t.test('members active at the period end', async (t) => {
    // 2025-12-31: M1, M3, F1, F2 (withdrawn 2026); not M2 (withdrawn 2025-02-10), M4 (joined 2026), A1.
    t.same(await actuals('MEMBERS_ACTIVE', '2025', 'partner'), {
      '{}': 4,
      '{"partner":"ASMEX"}': 2,
      '{"partner":"FENIP"}': 2,
    });
    // 2024-12-31: M1, M2, F1; A1 withdrawn on that very day is no longer active.
    t.same(await actuals('MEMBERS_ACTIVE', '2024'), { '{}': 3 });
    t.same(await actuals('MEMBERS_ACTIVE', '2025', 'region,womenLed'), {
      '{}': 4,
      '{"region":"MA-01","womenLed":true}': 1,
      '{"region":"MA-09","womenLed":false}': 1,
      '{"region":"MA-09","womenLed":true}': 2,
    });
  });

  t.test('new members and women-led cooperatives', async (t) => {
    t.same(await actuals('MEMBERS_NEW', '2025', 'memberType'), {
      '{}': 2,
      '{"memberType":"cooperative"}': 2,
    });
    t.same(await actuals('MEMBERS_NEW', '2024', 'partner'), {
      '{}': 3,
      '{"partner":"AMITH"}': 1,
      '{"partner":"ASMEX"}': 2,
    });
    t.same(await actuals('COOP_WOMEN', '2025', 'partner,region'), {
      '{}': 3,
      '{"partner":"ASMEX","region":"MA-09"}': 2,
      '{"partner":"FENIP","region":"MA-01"}': 1,
    });
  });

  t.test('fair participations by partner of the member and mode', async (t) => {
    // 2025: M1 and F1 at the physical fair, F1 and F2 at the digital one; the 2026 fair is out.
    t.same(await actuals('FAIR_PARTICIPATIONS', '2025', 'partner,mode'), {
      '{}': 4,
      '{"partner":"FENIP","mode":"digital"}': 2,
      '{"partner":"ASMEX","mode":"physical"}': 1,
      '{"partner":"FENIP","mode":"physical"}': 1,
    });
    t.same(
      await actuals('FAIR_PARTICIPATIONS', '2025Q1..2025Q4', 'mode', '2025Q4'),
      { '{}': 2, '{"mode":"digital"}': 2 },
      'the rows of the last period of the range',
    );
    const range = await report('period=2025Q1..2025Q4&kpi=FAIR_PARTICIPATIONS');
    t.same(
      range.rows.map((r) => [r.period, r.actual]),
      [
        ['2025Q1', 2],
        ['2025Q2', 0],
        ['2025Q3', 0],
        ['2025Q4', 2],
      ],
    );
  });

  t.test('people trained by sex (training and awareness, not coaching)', async (t) => {
    // Training: M1 3 women 1 man, M3 2 women; awareness (starts 2025-12-31): F1 1 woman 4 men.
    t.same(await actuals('PEOPLE_TRAINED', '2025', 'sex'), {
      '{}': 11,
      '{"sex":"F"}': 6,
      '{"sex":"M"}': 5,
    });
    t.same(await actuals('PEOPLE_TRAINED', '2025', 'partner,sex'), {
      '{}': 11,
      '{"partner":"ASMEX","sex":"F"}': 5,
      '{"partner":"ASMEX","sex":"M"}': 1,
      '{"partner":"FENIP","sex":"F"}': 1,
      '{"partner":"FENIP","sex":"M"}': 4,
    });
    t.same(await actuals('PEOPLE_TRAINED', '2025Q2'), { '{}': 6 });
  });

  t.test('assessments: categories as of the period end', async (t) => {
    // Submitted in 2025: M1 A, M3 A, M3 INCOMPLETE, F1 B, F1 A, F2 D (the draft and 2026 are out).
    t.same(await actuals('ASSESSED', '2025', 'partner'), {
      '{}': 6,
      '{"partner":"ASMEX"}': 3,
      '{"partner":"FENIP"}': 3,
    });
    t.same(await actuals('ASSESSED', '2024'), { '{}': 3 });
    // 2025-12-31: M1 A; F1 A (the later of two same-day submissions); M3's latest is INCOMPLETE
    // (no category, no fallback to its A); F2 D (its A is of 2026); M2 withdrawn.
    t.same(await actuals('EXPORT_READY', '2025', 'partner'), {
      '{}': 2,
      '{"partner":"ASMEX"}': 1,
      '{"partner":"FENIP"}': 1,
    });
    // 2025Q2 (as of 06-30): M1 A, M3 A, F1 A → 3.
    t.same(await actuals('EXPORT_READY', '2025Q2'), { '{}': 3 });
    // 2024-12-31: M2 A (active until 2025), F1 A; M1 is C.
    t.same(await actuals('EXPORT_READY', '2024'), { '{}': 2 });
    // M1: C at 2024-12-31, A at 2025-12-31. F1 A → A, F2 has no category before 2025.
    t.same(await actuals('READINESS_UP', '2025', 'partner'), { '{}': 1, '{"partner":"ASMEX"}': 1 });
    t.same(await actuals('READINESS_UP', '2025Q2'), { '{}': 1 }, 'C on 03-31, A on 06-30');
    t.same(await actuals('READINESS_UP', '2025Q3'), { '{}': 0 });
  });

  t.test('reported KPIs: sums across partners, percentages as Σ parts', async (t) => {
    const values = await api({
      method: 'POST',
      url: '/v1/kpi-values',
      body: {
        values: [
          { kpi: 'EXPORT_SALES', period: '2025', partnerCode: 'ASMEX', value: 1_000_000 },
          // Covered by ASMEX's yearly value: not counted twice.
          { kpi: 'EXPORT_SALES', period: '2025Q1', partnerCode: 'ASMEX', value: 200_000 },
          { kpi: 'EXPORT_SALES', period: '2025', partnerCode: 'FENIP', value: 500_000 },
          { kpi: 'EXPORT_SALES', period: '2025Q1', partnerCode: 'AMITH', value: 100_000 },
          { kpi: 'EXPORT_SALES', period: '2025Q2', partnerCode: 'AMITH', value: 50_000 },
          {
            kpi: 'MEMBER_SATISFACTION',
            period: '2025',
            partnerCode: 'ASMEX',
            numerator: 40,
            denominator: 50,
          },
          {
            kpi: 'MEMBER_SATISFACTION',
            period: '2025',
            partnerCode: 'FENIP',
            numerator: 45,
            denominator: 60,
          },
        ],
      },
    });
    t.equal(values.statusCode, 200, values.body);
    t.same(await actuals('EXPORT_SALES', '2025', 'partner'), {
      '{}': 1_650_000,
      '{"partner":"AMITH"}': 150_000,
      '{"partner":"ASMEX"}': 1_000_000,
      '{"partner":"FENIP"}': 500_000,
    });
    t.same(await actuals('EXPORT_SALES', '2025Q1', 'partner'), {
      '{}': 300_000,
      '{"partner":"AMITH"}': 100_000,
      '{"partner":"ASMEX"}': 200_000,
    });
    // 85 / 110 × 100 = 77.27 (not the mean of 80 and 75).
    t.same(await actuals('MEMBER_SATISFACTION', '2025', 'partner'), {
      '{}': 77.27,
      '{"partner":"ASMEX"}': 80,
      '{"partner":"FENIP"}': 75,
    });
  });

  t.test('targets, baseline and achievement (ascending and descending)', async (t) => {
    const put = await api({
      method: 'PUT',
      url: '/v1/kpis/MEMBERS_ACTIVE/targets',
      headers: { 'if-match': '*' },
      body: [
        { period: '2025', value: 5 },
        { period: '2025', disaggregation: { partner: 'ASMEX' }, value: 4 },
        { period: '2025', disaggregation: { partner: 'AMITH' }, value: 2 },
      ],
    });
    t.ok([200, 201].includes(put.statusCode), put.body);
    const def = await api({ method: 'GET', url: '/v1/kpis/MEMBERS_ACTIVE' });
    const {
      createdAt: _c,
      updatedAt: _u,
      version: _v,
      builtIn: _b,
      code: _code,
      ...definition
    } = def.json();
    const updated = await api({
      method: 'PUT',
      url: '/v1/kpis/MEMBERS_ACTIVE',
      headers: { 'if-match': def.headers.etag as string },
      body: {
        ...definition,
        description: undefined,
        baseline: { year: 2023, value: 1 },
        endTarget: { year: 2027, value: 40 },
      },
    });
    t.equal(updated.statusCode, 200, updated.body);
    const { rows, kpis } = await report('period=2025&kpi=MEMBERS_ACTIVE&by=partner');
    t.same(rows, [
      {
        kpi: 'MEMBERS_ACTIVE',
        period: '2025',
        disaggregation: {},
        baseline: 1,
        target: 5,
        actual: 4,
        achievement: 80,
      },
      // A target with nothing counted gives a row with actual 0.
      {
        kpi: 'MEMBERS_ACTIVE',
        period: '2025',
        disaggregation: { partner: 'AMITH' },
        baseline: null,
        target: 2,
        actual: 0,
        achievement: 0,
      },
      {
        kpi: 'MEMBERS_ACTIVE',
        period: '2025',
        disaggregation: { partner: 'ASMEX' },
        baseline: null,
        target: 4,
        actual: 2,
        achievement: 50,
      },
      {
        kpi: 'MEMBERS_ACTIVE',
        period: '2025',
        disaggregation: { partner: 'FENIP' },
        baseline: null,
        target: null,
        actual: 2,
        achievement: null,
      },
    ]);
    t.match(
      kpis,
      [{ code: 'MEMBERS_ACTIVE', endTarget: { year: 2027, value: 40 } }],
      'end target on its own',
    );

    const created = await api({
      method: 'POST',
      url: '/v1/kpis',
      body: {
        code: 'LATE_SHIPMENTS',
        name: { fr: 'Expéditions en retard', en: 'Late shipments' },
        resultLevel: 'outcome',
        measure: 'unit',
        unit: 'shipments',
        ascending: false,
        source: 'reported',
        cumulation: 'period',
        dimensions: ['partner'],
      },
    });
    t.equal(created.statusCode, 201, created.body);
    const lateTarget = await api({
      method: 'PUT',
      url: '/v1/kpis/LATE_SHIPMENTS/targets',
      headers: { 'if-match': '*' },
      body: [{ period: '2025', value: 30 }],
    });
    t.equal(lateTarget.statusCode, 200, lateTarget.body);
    const late = await api({
      method: 'POST',
      url: '/v1/kpi-values',
      body: {
        values: [
          { kpi: 'LATE_SHIPMENTS', period: '2025', partnerCode: 'ASMEX', value: 10 },
          { kpi: 'LATE_SHIPMENTS', period: '2025', partnerCode: 'FENIP', value: 30 },
        ],
      },
    });
    t.equal(late.statusCode, 200, late.body);
    const descending = await report('period=2025&kpi=LATE_SHIPMENTS');
    // Fewer is better: 30 / 40 × 100.
    t.match(descending.rows, [{ disaggregation: {}, target: 30, actual: 40, achievement: 75 }]);
  });

  t.test('roles: reporting reads, a partner sees its own figures only', async (t) => {
    const reporting = await keyFor('reporting');
    const fenip = await keyFor('partner', 'FENIP');
    const all = await report('period=2025&kpi=MEMBERS_ACTIVE', reporting);
    t.equal(all.rows[0]?.actual, 4);
    const own = await report('period=2025&kpi=MEMBERS_ACTIVE,PEOPLE_TRAINED&by=sex', fenip);
    t.same(
      own.rows.map((r) => [r.kpi, r.disaggregation, r.actual]),
      [
        ['MEMBERS_ACTIVE', { partner: 'FENIP' }, 2],
        ['PEOPLE_TRAINED', { partner: 'FENIP' }, 5],
        ['PEOPLE_TRAINED', { partner: 'FENIP', sex: 'F' }, 1],
        ['PEOPLE_TRAINED', { partner: 'FENIP', sex: 'M' }, 4],
      ],
    );
    const other = await api({
      method: 'GET',
      url: '/v1/reports/kpis?period=2025&partner=ASMEX',
      key: fenip,
    });
    t.equal(other.statusCode, 403);
    const filtered = await report('period=2025&kpi=MEMBERS_ACTIVE&partner=ASMEX');
    t.same(
      filtered.rows.map((r) => [r.disaggregation, r.target, r.actual]),
      [[{ partner: 'ASMEX' }, 4, 2]],
    );
  });

  t.test('bad queries are 400s naming the parameter', async (t) => {
    for (const [query, parameter] of [
      ['period=2025Q5', 'period'],
      ['period=2025..2025Q2', 'period'],
      ['period=2026..2025', 'period'],
      ['period=2025&kpi=NOPE', 'kpi'],
      ['period=2025&by=colour', 'by'],
      ['period=2025&partner=NOPE', 'partner'],
    ] as [string, string][]) {
      const res = await api({ method: 'GET', url: `/v1/reports/kpis?${query}` });
      t.equal(res.statusCode, 400, query);
      t.equal(res.json().errors?.[0]?.parameter, parameter, query);
    }
  });
});
