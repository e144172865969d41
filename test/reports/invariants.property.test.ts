import fc from 'fast-check';
import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import {
  addDays,
  COMPUTED_DIMENSIONS,
  loadScenario,
  type Scenario,
  scenarioArb,
} from './generated.js';

/**
 * On generated registries (generated.ts), every report's total row equals the sum of its
 * breakdown rows, and three KPIs equal a plain reference count.
 */

t.test('report invariants on generated data', async (t) => {
  const { app, api } = await startTestApp(t);
  const load = (s: Scenario) => loadScenario(app.db, s);

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

  await fc.assert(
    fc.asyncProperty(
      scenarioArb,
      fc.constantFrom('2024', '2025Q2', '2024-07'),
      fc.constantFrom(0, 1, 2, 3),
      async (scenario, period, pick) => {
        const data = await load(scenario);
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
