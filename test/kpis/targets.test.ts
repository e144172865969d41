import t from 'tap';
import { startTestApp } from '../helpers/app.js';

// PGlite runs on the event loop: start-up and heavy statements must not trip load shedding.
t.test('KPI targets', async (t) => {
  const { api, keyFor } = await startTestApp(t);
  const url = '/v1/kpis/PEOPLE_TRAINED/targets';

  t.test('an empty set at first, version 1', async (t) => {
    const res = await api({ method: 'GET', url, key: await keyFor('reporting') });
    t.equal(res.statusCode, 200);
    t.same(res.json(), { kpi: 'PEOPLE_TRAINED', version: 1, data: [], nextCursor: null });
    t.equal(res.headers.etag, '"1"');
    t.equal((await api({ method: 'GET', url: '/v1/kpis/NOPE/targets' })).statusCode, 404);
  });

  t.test('bad dimensions and values are listed, each', async (t) => {
    const res = await api({
      method: 'PUT',
      url,
      headers: { 'if-match': '"1"' },
      body: [
        { period: '2025', value: 1000 },
        { period: '2025', disaggregation: { region: 'MA-01', sex: 'X' }, value: 10 },
        { period: '2025Q5', disaggregation: { mode: 'digital', partner: 'NOPE' }, value: 10 },
        { period: '2025', value: 900 },
      ],
    });
    t.equal(res.statusCode, 400);
    t.equal(res.json().type, 'urn:jahiz:problem:validation');
    t.same(res.json().errors, [
      {
        pointer: '/1/disaggregation/region',
        message: 'is not a dimension of KPI PEOPLE_TRAINED (allowed: partner, sex)',
      },
      { pointer: '/1/disaggregation/sex', message: 'must be one of F, M' },
      {
        pointer: '/2/disaggregation/mode',
        message: 'is not a dimension of KPI PEOPLE_TRAINED (allowed: partner, sex)',
      },
      { pointer: '/2/disaggregation/partner', message: 'must be the code of an existing partner' },
      { pointer: '/2/period', message: '"2025Q5": the quarter must be Q1–Q4' },
      { pointer: '/3', message: 'repeats the period and disaggregation of /0' },
    ]);
    const unchanged = await api({ method: 'GET', url });
    t.same(unchanged.json().data, [], 'nothing was written');
  });

  t.test('PUT replaces the set, with If-Match', async (t) => {
    const body = [
      { period: '2025', value: 1000 },
      { period: '2025', disaggregation: { sex: 'F' }, value: 600 },
      { period: '2025', disaggregation: { sex: 'M' }, value: 400 },
      { period: '2025', disaggregation: { partner: 'FENIP' }, value: 300 },
      { period: '2025', disaggregation: { partner: 'AMITH' }, value: 350 },
      { period: '2025Q1', value: 200 },
    ];
    t.equal((await api({ method: 'PUT', url, body })).statusCode, 428);
    t.equal(
      (await api({ method: 'PUT', url, body, headers: { 'if-match': '"5"' } })).statusCode,
      412,
    );
    const res = await api({ method: 'PUT', url, body, headers: { 'if-match': '"1"' } });
    t.equal(res.statusCode, 200, res.body);
    t.equal(res.json().version, 2);
    t.equal(res.headers.etag, '"2"');
    t.equal(res.json().data.length, 6);
    t.same(res.json().data[0], {
      period: '2025',
      start: '2025-01-01',
      end: '2025-12-31',
      disaggregation: {},
      value: 1000,
    });
    t.same(res.json().data[5], {
      period: '2025Q1',
      start: '2025-01-01',
      end: '2025-03-31',
      disaggregation: {},
      value: 200,
    });

    const fenip = await api({ method: 'GET', url, key: await keyFor('partner', 'FENIP') });
    t.same(
      fenip.json().data.map((d: { disaggregation: object }) => d.disaggregation),
      [{}, { partner: 'FENIP' }, { sex: 'F' }, { sex: 'M' }, {}],
      'a partner sees totals, non-partner breakdowns and its own',
    );

    const replaced = await api({
      method: 'PUT',
      url,
      body: [{ period: '2026', value: 1200 }],
      headers: { 'if-match': '"2"' },
    });
    t.same(
      replaced.json().data.map((d: { period: string }) => d.period),
      ['2026'],
      'targets not sent are removed',
    );
    const kpi = (await api({ method: 'GET', url: '/v1/kpis/PEOPLE_TRAINED' })).json();
    t.equal(kpi.endTarget, null, 'the end target is not derived from annual targets');
  });

  t.test('only admin writes; audited', async (t) => {
    const partner = await api({
      method: 'PUT',
      url,
      body: [],
      headers: { 'if-match': '"3"' },
      key: await keyFor('partner', 'AMITH'),
    });
    t.equal(partner.statusCode, 403);
    const events = await api({
      method: 'GET',
      url: '/v1/audit-events?entity=kpiTargets&entityId=PEOPLE_TRAINED',
    });
    t.equal(events.json().data.length, 2);
    t.same(events.json().data[0].changes.targets.to, [
      { period: '2026', start: '2026-01-01', end: '2026-12-31', disaggregation: {}, value: 1200 },
    ]);
  });

  t.test('percentage targets stay within 0–100', async (t) => {
    const res = await api({
      method: 'PUT',
      url: '/v1/kpis/MEMBER_SATISFACTION/targets',
      body: [{ period: '2025', value: 120 }],
      headers: { 'if-match': '*' },
    });
    t.equal(res.statusCode, 400);
    t.same(res.json().errors, [
      { pointer: '/0/value', message: 'must lie in 0–100 for a percentage' },
    ]);
  });
});
