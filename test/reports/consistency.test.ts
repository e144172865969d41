import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { memberBody } from '../members/fixtures.js';

interface Row {
  kpi: string;
  period: string;
  disaggregation: Record<string, string | boolean>;
  actual: number | null;
}

const year = new Date().toISOString().slice(0, 4);

t.test('one snapshot per report while a writer adds and withdraws members', async (t) => {
  const { api } = await startTestApp(t, {
    REPORT_QUEUE_LENGTH: '100',
    REPORT_QUEUE_WAIT_MS: '60000',
  });
  const add = async (i: number, type: string, womenLed: boolean, partnerCode: string) => {
    const res = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({
        partnerCode,
        name: `M${i}`,
        type,
        womenLed,
        region: 'MA-01',
        province: undefined,
        joinedOn: `${year}-01-01`,
        contacts: [],
      }),
    });
    t.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  };
  // Companies never change: MEMBERS_ACTIVE − COOP_WOMEN is their number in any one snapshot.
  for (let i = 0; i < 4; i++) await add(i, 'company', false, i % 2 ? 'FENIP' : 'ASMEX');

  let writing = true;
  const writer = (async () => {
    let i = 100;
    while (writing) {
      const id = await add(i++, 'cooperative', true, i % 2 ? 'FENIP' : 'AMITH');
      if (i % 3 === 0) {
        const res = await api({ method: 'DELETE', url: `/v1/members/${id}` });
        t.ok(res.statusCode < 300, res.body);
      }
    }
    return i - 100;
  })();

  const reports = await Promise.all(
    Array.from({ length: 12 }, () =>
      api({
        method: 'GET',
        url: `/v1/reports/kpis?period=${year}Q1..${year}Q4&kpi=MEMBERS_ACTIVE,COOP_WOMEN,MEMBERS_NEW&by=partner`,
      }),
    ),
  );
  writing = false;
  const written = await writer;
  t.ok(written > 0, `the writer wrote ${written} members meanwhile`);
  for (const res of reports) {
    t.equal(res.statusCode, 200, res.body);
    const rows = res.json().rows as Row[];
    const value = (kpi: string, period: string) =>
      rows.find(
        (r) => r.kpi === kpi && r.period === period && Object.keys(r.disaggregation).length === 0,
      )?.actual ?? 0;
    for (const period of [`${year}Q1`, `${year}Q4`]) {
      for (const kpi of ['MEMBERS_ACTIVE', 'COOP_WOMEN', 'MEMBERS_NEW']) {
        const own = rows.filter((r) => r.kpi === kpi && r.period === period);
        const parts = own.filter((r) => 'partner' in r.disaggregation);
        const sum = parts.reduce((s, r) => s + (r.actual ?? 0), 0);
        t.equal(value(kpi, period), sum, `${kpi} ${period}: total = Σ rows`);
      }
    }
    // Statements of different KPIs saw the same moment (withdrawals are dated today ≤ Q4's end).
    t.equal(value('MEMBERS_ACTIVE', `${year}Q4`) - value('COOP_WOMEN', `${year}Q4`), 4);
  }
});

t.test('admission: beyond REPORT_CONCURRENCY and its queue → 503 with Retry-After', async (t) => {
  const { api } = await startTestApp(t, {
    REPORT_CONCURRENCY: '1',
    REPORT_QUEUE_LENGTH: '1',
    REPORT_QUEUE_WAIT_MS: '60000',
  });
  const created = await api({
    method: 'POST',
    url: '/v1/members',
    body: memberBody({ partnerCode: 'FENIP', province: undefined, region: 'MA-01', contacts: [] }),
  });
  t.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  const heavy = Array.from({ length: 8 }, () =>
    api({ method: 'GET', url: '/v1/reports/kpis?period=2017-01..2026-12&by=partner,region' }),
  );
  const reads = Array.from({ length: 5 }, () => api({ method: 'GET', url: `/v1/members/${id}` }));
  const write = api({
    method: 'PATCH',
    url: `/v1/members/${id}`,
    headers: { 'if-match': '*', 'content-type': 'application/merge-patch+json' },
    body: { city: 'Agadir' },
  });
  const answers = await Promise.all(heavy);
  const shed = answers.filter((r) => r.statusCode === 503);
  t.ok(shed.length >= 1, `${shed.length} of 8 reports shed`);
  t.ok(
    answers.filter((r) => r.statusCode === 200).length >= 2,
    'the running and the queued one answered',
  );
  t.ok(answers.every((r) => r.statusCode === 200 || r.statusCode === 503));
  for (const res of shed) {
    t.match(res.headers['content-type'], /application\/problem\+json/);
    t.ok(Number(res.headers['retry-after']) >= 1, 'Retry-After');
    t.equal(res.json().status, 503);
  }
  for (const res of await Promise.all(reads))
    t.equal(res.statusCode, 200, 'member reads keep working');
  t.equal((await write).statusCode, 200, 'member writes keep working');
});
