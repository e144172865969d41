import t from 'tap';
import { startTestApp } from '../helpers/app.js';

// PGlite runs on the event loop: start-up and heavy statements must not trip load shedding.
interface Summary {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  dryRun: boolean;
  results: {
    index: number;
    status: string;
    id?: string;
    errors?: { pointer: string; message: string }[];
  }[];
}

const counts = (s: Summary) => [s.created, s.updated, s.unchanged, s.failed];

t.test('reported KPI values', async (t) => {
  const { api, keyFor } = await startTestApp(t);
  const fenipKey = await keyFor('partner', 'FENIP');
  const reportingKey = await keyFor('reporting');
  const importValues = async (values: unknown[], key?: string, dryRun?: boolean) => {
    const res = await api({
      method: 'POST',
      url: '/v1/kpi-values',
      body: { values, ...(dryRun === undefined ? {} : { dryRun }) },
      ...(key ? { key } : {}),
    });
    t.equal(res.statusCode, 200, res.body);
    return res.json() as Summary;
  };
  const sales = { kpi: 'EXPORT_SALES', period: '2025Q1', partnerCode: 'FENIP' };
  const womenLed = { ...sales, disaggregation: { womenLed: true } };
  const satisfaction = { kpi: 'MEMBER_SATISFACTION', period: '2025', partnerCode: 'FENIP' };
  let womenLedId = '';

  t.test('a mixed batch: each row created or failed with its reasons', async (t) => {
    const summary = await importValues([
      { ...sales, value: 1_250_000, comment: 'Q1 declarations' },
      { ...womenLed, value: 300_000 },
      { ...satisfaction, numerator: 45, denominator: 60 },
      { kpi: 'MEMBERS_ACTIVE', period: '2025', partnerCode: 'FENIP', value: 10 },
      { kpi: 'EXPORT_SALES', period: '2025Q1', value: 5 },
      {
        kpi: 'EXPORT_SALES',
        period: '2025Q5',
        partnerCode: 'AMITH',
        disaggregation: { sex: 'F', region: 'MA-99' },
        value: 5,
      },
      { ...satisfaction, partnerCode: 'AMITH', numerator: 70, denominator: 60 },
      { ...sales, value: 1 },
      {
        kpi: 'B2B_CONTACTS',
        period: '2025-03',
        partnerCode: 'AMITH',
        disaggregation: { mode: 'digital' },
        value: 40,
      },
      { kpi: 'EXPORT_SALES', period: '2025', partnerCode: 'FENIP', numerator: 1, denominator: 0 },
      { kpi: 'NOPE', period: '2025', partnerCode: 'FENIP', value: 1 },
    ]);
    t.same(counts(summary), [4, 0, 0, 7]);
    t.same(
      summary.results.map((r) => r.status),
      [
        'created',
        'created',
        'created',
        'failed',
        'failed',
        'failed',
        'failed',
        'failed',
        'created',
        'failed',
        'failed',
      ],
    );
    t.same(summary.results[3]!.errors, [
      {
        pointer: '/values/3/kpi',
        message:
          'MEMBERS_ACTIVE is a computed KPI: the service computes it from the records, it is not reported',
      },
    ]);
    t.same(summary.results[4]!.errors, [
      { pointer: '/values/4/partnerCode', message: 'is required with an admin key' },
    ]);
    t.same(summary.results[5]!.errors, [
      { pointer: '/values/5/period', message: '"2025Q5": the quarter must be Q1–Q4' },
      {
        pointer: '/values/5/disaggregation/sex',
        message:
          'is not a dimension of KPI EXPORT_SALES (allowed: partner, region, memberType, womenLed)',
      },
      { pointer: '/values/5/disaggregation/region', message: 'must be a region code MA-01…MA-12' },
    ]);
    t.same(summary.results[6]!.errors, [
      { pointer: '/values/6/numerator', message: 'must not exceed the denominator' },
    ]);
    t.same(summary.results[7]!.errors, [
      {
        pointer: '/values/7',
        message: 'repeats the KPI, period, partner and disaggregation of /values/0',
      },
    ]);
    t.same(summary.results[9]!.errors, [
      {
        pointer: '/values/9/numerator',
        message: 'numerator + denominator are for percentages; EXPORT_SALES takes a value',
      },
    ]);
    t.match(summary.results[10]!.errors, [
      { pointer: '/values/10/kpi', message: 'names no KPI (NOPE)' },
    ]);
    t.match(summary.results[0], { index: 0, status: 'created', id: /^[0-9a-f-]{36}$/ });
    womenLedId = summary.results[1]!.id!;

    const stored = await api({ method: 'GET', url: `/v1/kpi-values/${summary.results[2]!.id}` });
    t.match(stored.json(), {
      kpi: 'MEMBER_SATISFACTION',
      period: '2025',
      start: '2025-01-01',
      end: '2025-12-31',
      partnerCode: 'FENIP',
      disaggregation: {},
      value: 75,
      numerator: 45,
      denominator: 60,
      comment: null,
      version: 1,
    });
  });

  t.test('the same rows again are unchanged, new values updated', async (t) => {
    const summary = await importValues([
      { ...sales, value: 1_250_000, comment: 'Q1 declarations' },
      { ...womenLed, value: 320_000 },
      { ...satisfaction, numerator: 45, denominator: 60 },
      { kpi: 'NEW_MARKETS', period: '2025', partnerCode: 'FENIP', value: 3 },
      { ...satisfaction, partnerCode: 'AMITH', value: 82.5 },
      { ...satisfaction, value: 70, numerator: 1, denominator: 2 },
      { ...satisfaction, period: '2025-06', value: 101 },
    ]);
    t.same(counts(summary), [2, 1, 2, 2]);
    t.equal(summary.results[1]!.id, womenLedId, 'an update keeps the id');
    t.same(summary.results[5]!.errors, [
      { pointer: '/values/5', message: 'give either value or numerator + denominator, not both' },
    ]);
    t.same(summary.results[6]!.errors, [
      { pointer: '/values/6/value', message: 'must lie in 0–100 for a percentage' },
    ]);
    const stored = await api({ method: 'GET', url: `/v1/kpi-values/${womenLedId}` });
    t.match(stored.json(), { value: 320_000, version: 2, disaggregation: { womenLed: true } });
  });

  t.test('dryRun classifies and writes nothing', async (t) => {
    const before = await api({ method: 'GET', url: '/v1/kpi-values?limit=100' });
    const summary = await importValues(
      [
        { ...womenLed, value: 999 },
        { kpi: 'CERTIFICATIONS', period: '2025', partnerCode: 'AMITH', value: 2 },
        { ...sales, value: 1_250_000, comment: 'Q1 declarations' },
      ],
      undefined,
      true,
    );
    t.same(counts(summary), [1, 1, 1, 0]);
    t.equal(summary.dryRun, true);
    t.same(summary.results[1], { index: 1, status: 'created' }, 'no id before it exists');
    const after = await api({ method: 'GET', url: '/v1/kpi-values?limit=100' });
    t.same(after.json(), before.json());
  });

  t.test('a partner key reports for its own partner only', async (t) => {
    const summary = await importValues(
      [
        { kpi: 'B2B_CONTACTS', period: '2025-04', value: 12 },
        {
          kpi: 'B2B_CONTACTS',
          period: '2025-04',
          partnerCode: 'FENIP',
          disaggregation: { mode: 'physical' },
          value: 8,
        },
        { kpi: 'B2B_CONTACTS', period: '2025-04', partnerCode: 'AMITH', value: 5 },
        { kpi: 'B2B_CONTACTS', period: '2025-04', disaggregation: { partner: 'FENIP' }, value: 5 },
      ],
      fenipKey,
    );
    t.same(counts(summary), [2, 0, 0, 2]);
    t.same(summary.results[2]!.errors, [
      {
        pointer: '/values/2/partnerCode',
        message: 'not your partner: a FENIP key reports for FENIP only',
      },
    ]);
    t.same(summary.results[3]!.errors, [
      {
        pointer: '/values/3/disaggregation/partner',
        message: 'is given by partnerCode, not in the disaggregation',
      },
    ]);
    const own = await api({ method: 'GET', url: '/v1/kpi-values?limit=100', key: fenipKey });
    t.equal(own.json().data.length, 6);
    t.ok(own.json().data.every((v: { partnerCode: string }) => v.partnerCode === 'FENIP'));
    const other = await api({ method: 'GET', url: '/v1/kpi-values?partner=AMITH', key: fenipKey });
    t.same(other.json(), { data: [], nextCursor: null });
    const amithValue = (await api({ method: 'GET', url: '/v1/kpi-values?partner=AMITH' })).json()
      .data[0];
    t.equal(amithValue.kpi, 'B2B_CONTACTS');
    const hidden = await api({
      method: 'GET',
      url: `/v1/kpi-values/${amithValue.id}`,
      key: fenipKey,
    });
    t.equal(hidden.statusCode, 404);
  });

  t.test('reporting keys read aggregates: no raw values (with comments), no writes', async (t) => {
    const list = await api({ method: 'GET', url: '/v1/kpi-values?limit=100', key: reportingKey });
    t.equal(list.statusCode, 403, list.body);
    const one = (await api({ method: 'GET', url: '/v1/kpi-values?limit=1' })).json().data[0];
    const single = await api({ method: 'GET', url: `/v1/kpi-values/${one.id}`, key: reportingKey });
    t.equal(single.statusCode, 403, single.body);
    const report = await api({
      method: 'GET',
      url: '/v1/reports/kpis?period=2025&kpi=EXPORT_SALES',
      key: reportingKey,
    });
    t.equal(report.statusCode, 200, 'the aggregate is readable');
    const write = await api({
      method: 'POST',
      url: '/v1/kpi-values',
      body: { values: [{ ...sales, value: 1 }] },
      key: reportingKey,
    });
    t.equal(write.statusCode, 403);
  });

  t.test('filters and pages', async (t) => {
    const inYear = await api({ method: 'GET', url: '/v1/kpi-values?kpi=EXPORT_SALES&period=2025' });
    t.equal(inYear.json().data.length, 2, 'a quarter lies within its year');
    const inQ2 = await api({ method: 'GET', url: '/v1/kpi-values?period=2025Q2' });
    t.same(
      inQ2.json().data.map((v: { period: string }) => v.period),
      ['2025-04', '2025-04'],
    );
    const badPeriod = await api({ method: 'GET', url: '/v1/kpi-values?period=2025-13' });
    t.equal(badPeriod.statusCode, 400);
    const first = await api({ method: 'GET', url: '/v1/kpi-values?limit=4' });
    const second = await api({
      method: 'GET',
      url: `/v1/kpi-values?limit=4&cursor=${first.json().nextCursor}`,
    });
    t.equal(first.json().data.length, 4);
    t.equal(second.json().data.length, 4);
    t.equal(second.json().nextCursor, null);
  });

  t.test('a malformed body is one 400 listing every problem', async (t) => {
    const res = await api({
      method: 'POST',
      url: '/v1/kpi-values',
      body: {
        values: [
          { kpi: 'EXPORT_SALES', value: '12' },
          { period: '2025', colour: 'red' },
        ],
      },
    });
    t.equal(res.statusCode, 400);
    t.same(
      res
        .json()
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
      ['/values/0/period', '/values/0/value', '/values/1/colour', '/values/1/kpi'],
    );
    const tooMany = await api({
      method: 'POST',
      url: '/v1/kpi-values',
      body: { values: Array.from({ length: 1001 }, () => ({ ...sales, value: 1 })) },
    });
    t.equal(tooMany.statusCode, 400);
  });

  t.test('a full batch of 1,000 rows, then the same again', async (t) => {
    const rows = [];
    for (const partnerCode of ['ASMEX', 'AMITH', 'FENIP']) {
      for (let year = 2012; year <= 2022; year += 1) {
        for (let month = 1; month <= 12; month += 1) {
          for (const disaggregation of [{}, { womenLed: true }, { womenLed: false }]) {
            rows.push({
              kpi: 'NEW_MARKETS',
              period: `${year}-${String(month).padStart(2, '0')}`,
              partnerCode,
              disaggregation,
              value: month,
            });
          }
        }
      }
    }
    const batch = rows.slice(0, 1000);
    const started = Date.now();
    t.same(counts(await importValues(batch)), [1000, 0, 0, 0]);
    t.same(counts(await importValues(batch)), [0, 0, 1000, 0]);
    t.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
  });

  t.test('value changes are audited with who, old and new', async (t) => {
    const events = await api({
      method: 'GET',
      url: `/v1/audit-events?entity=kpiValue&entityId=${womenLedId}`,
    });
    t.equal(events.statusCode, 200);
    const [update, create] = events.json().data;
    t.match(update, {
      action: 'updated',
      partnerCode: 'FENIP',
      changes: { value: { from: 300_000, to: 320_000 } },
    });
    t.match(create, {
      action: 'created',
      changes: { value: { to: 300_000 }, kpi: { to: 'EXPORT_SALES' } },
    });
    t.equal(events.json().data.length, 2, 'unchanged and dry-run rows leave no trace');
    const keys = (await api({ method: 'GET', url: '/v1/api-keys?limit=100' })).json().data;
    const admin = keys.find((k: { name: string }) => k.name === 'JAHIZ_ADMIN_KEY');
    t.equal(update.actorKeyId, admin.id);
  });
});
