import fc from 'fast-check';
import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { COMPUTED_DIMENSIONS, loadScenario, scenarioArb } from './generated.js';
import { facts, readRecords } from './reference.js';

/**
 * On generated registries (generated.ts), every report's total row equals the sum of its
 * breakdown rows, and three KPIs equal the plain count of reference.ts.
 */

t.test('report invariants on generated data', async (t) => {
  const { app, api } = await startTestApp(t);

  await fc.assert(
    fc.asyncProperty(
      scenarioArb,
      fc.constantFrom('2024', '2025Q2', '2024-07'),
      fc.constantFrom(0, 1, 2, 3),
      async (scenario, period, pick) => {
        await loadScenario(app.db, scenario);
        const records = await readRecords(app.db);
        for (const [kpi, dims] of Object.entries(COMPUTED_DIMENSIONS)) {
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
            const expected = facts(records, kpi, p.start, p.end).reduce((n, f) => n + f.n, 0);
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
