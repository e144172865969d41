import t from 'tap';
import { HttpProblem } from '../../src/http/problem.js';
import { assertPeriodOpen } from '../../src/modules/periods/locks.js';
import { startTestApp } from '../helpers/app.js';

// PGlite runs on the event loop: start-up and heavy statements must not trip load shedding.
t.test('period locks', async (t) => {
  const { api, app, keyFor } = await startTestApp(t);
  const amithKey = await keyFor('partner', 'AMITH');
  const report = async (rows: { period: string; partnerCode: string }[], status = 200) => {
    const res = await api({
      method: 'POST',
      url: '/v1/kpi-values',
      body: { values: rows.map((r) => ({ kpi: 'EXPORT_SALES', value: 100, ...r })) },
    });
    t.equal(res.statusCode, status, res.body);
    return res.json();
  };

  t.test('a whole-year lock blocks its quarters and months; other rows go through', async (t) => {
    const lock = await api({ method: 'POST', url: '/v1/periods/2025/lock', body: {} });
    t.equal(lock.statusCode, 201, lock.body);
    t.match(lock.json(), {
      period: '2025',
      start: '2025-01-01',
      end: '2025-12-31',
      partnerCode: null,
    });
    const again = await api({ method: 'POST', url: '/v1/periods/2025/lock', body: {} });
    t.equal(again.statusCode, 200);
    t.equal(again.json().id, lock.json().id);

    const summary = await report([
      { period: '2025Q2', partnerCode: 'FENIP' },
      { period: '2025-03', partnerCode: 'AMITH' },
      { period: '2026Q1', partnerCode: 'FENIP' },
    ]);
    t.match(summary, { created: 1, failed: 2 });
    t.same(summary.results[0].errors, [
      {
        pointer: '/values/0/period',
        message: 'period 2025 is locked for all partners (2025Q2 overlaps it)',
      },
    ]);
    t.equal(summary.results[2].status, 'created');

    const allLocked = await report([{ period: '2025', partnerCode: 'ASMEX' }], 409);
    t.match(
      allLocked,
      { status: 409, type: 'urn:jahiz:problem:import-conflict', created: 0, failed: 1 },
      'nothing applied and every row locked: 409 with the summary',
    );
    t.same(allLocked.results[0].errors[0].message, 'period 2025 is locked for all partners');
  });

  t.test('unlock reopens', async (t) => {
    const unlocked = await api({ method: 'DELETE', url: '/v1/periods/2025/lock' });
    t.equal(unlocked.statusCode, 200);
    t.equal(unlocked.json().period, '2025');
    t.equal((await api({ method: 'DELETE', url: '/v1/periods/2025/lock' })).statusCode, 404);
    t.match(await report([{ period: '2025Q2', partnerCode: 'FENIP' }]), { created: 1, failed: 0 });
  });

  t.test(
    'a partner lock binds that partner only; a quarter lock also blocks its year',
    async (t) => {
      const lock = await api({
        method: 'POST',
        url: '/v1/periods/2025Q3/lock',
        body: { partnerCode: 'AMITH' },
      });
      t.equal(lock.statusCode, 201);
      const summary = await report([
        { period: '2025-08', partnerCode: 'AMITH' },
        { period: '2025', partnerCode: 'AMITH' },
        { period: '2025Q4', partnerCode: 'AMITH' },
        { period: '2025-08', partnerCode: 'FENIP' },
      ]);
      t.same(
        summary.results.map((r: { status: string }) => r.status),
        ['failed', 'failed', 'created', 'created'],
      );
      t.equal(
        summary.results[1].errors[0].message,
        'period 2025Q3 is locked for AMITH (2025 overlaps it)',
      );
      const byPartnerKey = await api({
        method: 'POST',
        url: '/v1/kpi-values',
        body: { values: [{ kpi: 'EXPORT_SALES', period: '2025-09', value: 1 }] },
        key: amithKey,
      });
      t.equal(byPartnerKey.json().failed, 1);

      await t.rejects(assertPeriodOpen(app.db, '2025-07', 'AMITH'), {
        constructor: HttpProblem,
        status: 409,
        message: 'No writes: period 2025Q3 is locked for AMITH (2025-07 overlaps it).',
      });
      await t.resolves(assertPeriodOpen(app.db, '2025-07', 'FENIP'));
      await t.resolves(assertPeriodOpen(app.db, '2025-10', 'AMITH'));
    },
  );

  t.test('listing, roles and bad input', async (t) => {
    await api({ method: 'POST', url: '/v1/periods/2024/lock', body: {} });
    await api({ method: 'POST', url: '/v1/periods/2025-01/lock', body: { partnerCode: 'FENIP' } });
    const all = await api({ method: 'GET', url: '/v1/periods/locks' });
    t.same(
      all
        .json()
        .data.map((l: { period: string; partnerCode: string | null }) => [l.period, l.partnerCode]),
      [
        ['2024', null],
        ['2025-01', 'FENIP'],
        ['2025Q3', 'AMITH'],
      ],
    );
    const amith = await api({ method: 'GET', url: '/v1/periods/locks', key: amithKey });
    t.same(
      amith.json().data.map((l: { period: string }) => l.period),
      ['2024', '2025Q3'],
      'a partner sees the locks that bind it',
    );
    const paged = await api({ method: 'GET', url: '/v1/periods/locks?limit=2' });
    const rest = await api({
      method: 'GET',
      url: `/v1/periods/locks?limit=2&cursor=${paged.json().nextCursor}`,
    });
    t.same(
      rest.json().data.map((l: { period: string }) => l.period),
      ['2025Q3'],
    );

    const noBody = await api({ method: 'POST', url: '/v1/periods/2022/lock' });
    t.equal(noBody.statusCode, 201, 'the body may be left out');
    await api({ method: 'DELETE', url: '/v1/periods/2022/lock' });
    const byPartner = await api({
      method: 'POST',
      url: '/v1/periods/2023/lock',
      body: {},
      key: amithKey,
    });
    t.equal(byPartner.statusCode, 403);
    const badPeriod = await api({ method: 'POST', url: '/v1/periods/2025Q5/lock', body: {} });
    t.equal(badPeriod.statusCode, 400);
    const badPartner = await api({
      method: 'POST',
      url: '/v1/periods/2023/lock',
      body: { partnerCode: 'NOPE' },
    });
    t.equal(badPartner.statusCode, 400);
    t.same(badPartner.json().errors, [
      { pointer: '/partnerCode', message: 'names no partner (NOPE)' },
    ]);
    const unlockPartner = await api({
      method: 'DELETE',
      url: '/v1/periods/2025Q3/lock?partner=AMITH',
    });
    t.equal(unlockPartner.statusCode, 200);
    const events = await api({ method: 'GET', url: '/v1/audit-events?entity=periodLock' });
    t.same(
      events.json().data.map((e: { action: string }) => e.action),
      ['unlocked', 'unlocked', 'locked', 'locked', 'locked', 'locked', 'unlocked', 'locked'],
    );
  });
});
