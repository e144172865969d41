import t from 'tap';
import { exampleGridBody, newMember, publishedGrid } from '../assessments/fixtures.js';
import { startTestApp } from '../helpers/app.js';
import { mergePatch } from '../members/fixtures.js';

/**
 * The report counts assessments through readiness spans that repeat each member's dimensions
 * and dates (migration 0009). Changing the member must change the figures at once, as the
 * report of members themselves does: breakdowns use the member as it is now.
 */

const A = [
  { criterion: 'c1', value: true },
  { criterion: 'c2', value: 4 },
  { criterion: 'c3', value: 'x' },
];
const C = [
  { criterion: 'c1', value: false },
  { criterion: 'c2', value: 3 },
  { criterion: 'c3', value: 'y' },
];

t.test('figures follow changes to the member', async (t) => {
  const { api } = await startTestApp(t);
  const grid = await publishedGrid(api, exampleGridBody('SPANS'));
  const member = await newMember(api, 'FENIP', { joinedOn: '2024-01-15' });
  for (const [assessedOn, answers] of [
    ['2024-06-01', C],
    ['2025-03-01', A],
  ] as const) {
    const res = await api({
      method: 'POST',
      url: '/v1/assessments',
      body: {
        memberId: member.id,
        gridId: grid.id,
        assessedOn,
        assessor: { name: 'Assessor' },
        answers,
        submit: true,
      },
    });
    t.equal(res.statusCode, 201, res.body);
  }

  /** `{disaggregation as text: actual}` of one KPI and period. */
  async function actuals(kpi: string, period: string, by: string) {
    const res = await api({
      method: 'GET',
      url: `/v1/reports/kpis?period=${period}&kpi=${kpi}&by=${by}`,
    });
    t.equal(res.statusCode, 200, res.body);
    const rows = res.json().rows as { disaggregation: object; actual: number }[];
    return Object.fromEntries(rows.map((r) => [JSON.stringify(r.disaggregation), r.actual]));
  }
  async function patch(body: object) {
    const current = (await api({ method: 'GET', url: `/v1/members/${member.id}` })).json();
    const res = await api({
      method: 'PATCH',
      url: `/v1/members/${member.id}`,
      headers: mergePatch(current.version),
      body,
    });
    t.equal(res.statusCode, 200, res.body);
  }

  t.same(await actuals('EXPORT_READY', '2025', 'region'), { '{}': 1, '{"region":"MA-09"}': 1 });
  t.same(await actuals('READINESS_UP', '2025', 'memberType'), {
    '{}': 1,
    '{"memberType":"cooperative"}': 1,
  });

  await patch({ region: 'MA-01', type: 'company', womenLed: false });
  t.same(await actuals('EXPORT_READY', '2025', 'region'), { '{}': 1, '{"region":"MA-01"}': 1 });
  t.same(await actuals('ASSESSED', '2025', 'womenLed'), { '{}': 1, '{"womenLed":false}': 1 });
  t.same(await actuals('READINESS_UP', '2025', 'memberType'), {
    '{}': 1,
    '{"memberType":"company"}': 1,
  });

  // Withdrawn on 2025-06-30: still export-ready at the end of Q1, no longer at the year's end.
  await patch({ status: 'withdrawn', withdrawnOn: '2025-06-30' });
  t.same(await actuals('EXPORT_READY', '2025Q1', 'region'), { '{}': 1, '{"region":"MA-01"}': 1 });
  t.same(await actuals('EXPORT_READY', '2025', 'region'), { '{}': 0 });
  t.same(await actuals('READINESS_UP', '2025', 'memberType'), { '{}': 0 });
  // Assessments count whether or not the member is still active.
  t.same(await actuals('ASSESSED', '2025', 'womenLed'), { '{}': 1, '{"womenLed":false}': 1 });
});
