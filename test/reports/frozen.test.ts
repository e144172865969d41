import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { buildScenario } from './scenario.js';

interface Row {
  kpi: string;
  period: string;
  disaggregation: Record<string, string | boolean>;
  actual: number | null;
  liveActual?: number | null;
}
interface Report {
  periods: { period: string; locked: boolean; frozenAt: string | null }[];
  rows: Row[];
}

t.test('frozen figures: a locked period never moves; unlocking lets it move', async (t) => {
  const testApp = await startTestApp(t);
  const { api, keyFor } = testApp;
  const { members } = await buildScenario(testApp);
  const fenipKey = await keyFor('partner', 'FENIP');
  const reportingKey = await keyFor('reporting');

  async function report(query: string, key?: string): Promise<Report> {
    const res = await api({
      method: 'GET',
      url: `/v1/reports/kpis?${query}`,
      ...(key ? { key } : {}),
    });
    t.equal(res.statusCode, 200, res.body);
    return res.json() as Report;
  }
  const actualOf = (r: Report, kpi: string, period: string, d: object = {}) =>
    r.rows.find(
      (row) =>
        row.kpi === kpi &&
        row.period === period &&
        JSON.stringify(row.disaggregation) === JSON.stringify(d),
    );

  const before = await report('period=2025&by=partner,region,memberType,womenLed');
  const beforeMonths = await report('period=2025-01..2025-12&kpi=MEMBERS_ACTIVE&by=partner');
  const beforeFenip = await report('period=2025Q1..2025Q4&kpi=MEMBERS_ACTIVE', fenipKey);
  t.equal(actualOf(before, 'MEMBERS_ACTIVE', '2025')?.actual, 4);
  t.equal(before.periods[0]?.locked, false);
  t.equal(before.periods[0]?.frozenAt, null);

  const lock = await api({ method: 'POST', url: '/v1/periods/2025/lock' });
  t.equal(lock.statusCode, 201, lock.body);
  t.ok(lock.json().frozenAt, 'the lock says when its figures were frozen');

  // M1 (ASMEX, joined 2024-03-01) withdrawn in 2025 after the lock: a back-dated change.
  const withdraw = await api({
    method: 'PATCH',
    url: `/v1/members/${members.M1}`,
    headers: { 'if-match': '*', 'content-type': 'application/merge-patch+json' },
    body: { status: 'withdrawn', withdrawnOn: '2025-06-01' },
  });
  t.equal(withdraw.statusCode, 200, withdraw.body);

  t.test('the locked year, its quarters and months read the frozen figures', async (t) => {
    const after = await report('period=2025&by=partner,region,memberType,womenLed');
    t.same(after.rows, before.rows, 'every row of the year unchanged');
    t.equal(after.periods[0]?.locked, true);
    t.equal(after.periods[0]?.frozenAt, lock.json().frozenAt);
    const months = await report('period=2025-01..2025-12&kpi=MEMBERS_ACTIVE&by=partner');
    t.same(months.rows, beforeMonths.rows, 'months unchanged');
    t.ok(months.periods.every((p) => p.locked && p.frozenAt !== null));
    const fenip = await report('period=2025Q1..2025Q4&kpi=MEMBERS_ACTIVE', fenipKey);
    t.same(fenip.rows, beforeFenip.rows, "a partner's own figures unchanged");
    // 2026 is not locked: it moves at once.
    const open = await report('period=2026&kpi=MEMBERS_ACTIVE');
    t.equal(open.periods[0]?.locked, false);
  });

  t.test('exports of the locked period read them too', async (t) => {
    const csv = await api({
      method: 'GET',
      url: '/v1/reports/kpis.csv?period=2025&kpi=MEMBERS_ACTIVE',
    });
    t.match(csv.body, /MEMBERS_ACTIVE,[^\r\n]*,2025,members,,,4,/);
    const iati = await api({
      method: 'GET',
      url: '/v1/reports/iati.xml?period=2025&kpi=MEMBERS_ACTIVE',
    });
    t.match(iati.body, /<actual value="4"\/>/);
    const chart = await api({
      method: 'GET',
      url: '/v1/reports/kpis/MEMBERS_ACTIVE/chart.svg?period=2025',
    });
    t.match(chart.body, />4<\/text>/);
  });

  t.test('live=true (admin) shows the drift', async (t) => {
    const live = await report('period=2025&kpi=MEMBERS_ACTIVE&by=partner&live=true');
    t.equal(actualOf(live, 'MEMBERS_ACTIVE', '2025')?.actual, 4);
    t.equal(actualOf(live, 'MEMBERS_ACTIVE', '2025')?.liveActual, 3);
    t.equal(actualOf(live, 'MEMBERS_ACTIVE', '2025', { partner: 'ASMEX' })?.liveActual, 1);
    t.equal(actualOf(live, 'MEMBERS_ACTIVE', '2025', { partner: 'FENIP' })?.liveActual, 2);
    const refused = await api({
      method: 'GET',
      url: '/v1/reports/kpis?period=2025&live=true',
      key: reportingKey,
    });
    t.equal(refused.statusCode, 403, refused.body);
  });

  t.test('unlocking discards them: the figures move', async (t) => {
    const unlock = await api({ method: 'DELETE', url: '/v1/periods/2025/lock' });
    t.equal(unlock.statusCode, 200, unlock.body);
    const after = await report('period=2025&kpi=MEMBERS_ACTIVE&by=partner');
    t.equal(actualOf(after, 'MEMBERS_ACTIVE', '2025')?.actual, 3);
    t.equal(after.periods[0]?.locked, false);
    const { rows } = await testApp.database.pool.query(
      'select count(*)::int as n from kpi_frozen_figures',
    );
    t.equal(rows[0].n, 0, 'no frozen figure is left');
  });

  t.test('a lock for one partner freezes nothing', async (t) => {
    const res = await api({
      method: 'POST',
      url: '/v1/periods/2024/lock',
      body: { partnerCode: 'FENIP' },
    });
    t.equal(res.statusCode, 201, res.body);
    t.equal(res.json().frozenAt, null);
    const r = await report('period=2024&kpi=MEMBERS_ACTIVE');
    t.equal(r.periods[0]?.locked, false);
  });
});
