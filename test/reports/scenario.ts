import type { TestApp } from '../helpers/app.js';
import { expectStatus } from '../helpers/expect.js';
import { memberBody } from '../members/fixtures.js';

/**
 * A small programme whose KPIs are counted by hand in kpis.test.ts. Everything goes through the
 * API (members, a small published grid, assessments, activities, reported values, targets).
 */

const txt = (s: string) => ({ fr: s, en: s });

/** Two criteria of weight 1: a 0–4 scale and a yes/no. */
const GRID = {
  code: 'KPI-TEST',
  title: txt('Grille de test'),
  minCoverage: 0.8,
  categories: [
    { code: 'A', label: txt('A'), minScore: 80 },
    { code: 'B', label: txt('B'), minScore: 60 },
    { code: 'C', label: txt('C'), minScore: 40 },
    { code: 'D', label: txt('D'), minScore: 0 },
  ],
  dimensions: [
    {
      code: 'ALL',
      title: txt('Tout'),
      weight: 1,
      criteria: [
        {
          code: 'scale',
          title: txt('échelle'),
          weight: 1,
          answer: { type: 'scale', maxLevel: 4 },
          recommendation: txt('r'),
        },
        {
          code: 'yes',
          title: txt('oui'),
          weight: 1,
          answer: { type: 'boolean' },
          recommendation: txt('r'),
        },
      ],
    },
  ],
};

/** Answers scoring 100 (A), 75 (B), 50 (C), 0 (D); one answer of two is coverage 0.5: INCOMPLETE. */
const ANSWERS: Record<string, { criterion: string; value: number | boolean }[]> = {
  A: [
    { criterion: 'scale', value: 4 },
    { criterion: 'yes', value: true },
  ],
  B: [
    { criterion: 'scale', value: 2 },
    { criterion: 'yes', value: true },
  ],
  C: [
    { criterion: 'scale', value: 0 },
    { criterion: 'yes', value: true },
  ],
  D: [
    { criterion: 'scale', value: 0 },
    { criterion: 'yes', value: false },
  ],
  INCOMPLETE: [{ criterion: 'scale', value: 4 }],
};

export async function buildScenario({ api }: Pick<TestApp, 'api'>) {
  const withdrawals: [string, string][] = [];
  async function member(
    key: string,
    partnerCode: string,
    type: string,
    womenLed: boolean,
    region: string,
    joinedOn: string,
    withdrawnOn?: string,
  ) {
    const res = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({
        partnerCode,
        name: key,
        type,
        womenLed,
        region,
        province: undefined,
        joinedOn,
        contacts: [],
      }),
    });
    expectStatus(res, 201, `member ${key}`);
    const { id } = res.json();
    if (withdrawnOn) withdrawals.push([id, withdrawnOn]);
    return id as string;
  }

  const m = {
    M1: await member('M1', 'ASMEX', 'cooperative', true, 'MA-09', '2024-03-01'),
    M2: await member('M2', 'ASMEX', 'company', false, 'MA-01', '2024-06-15', '2025-02-10'),
    M3: await member('M3', 'ASMEX', 'cooperative', true, 'MA-09', '2025-05-20'),
    M4: await member('M4', 'ASMEX', 'cooperative', true, 'MA-01', '2026-02-01'),
    F1: await member('F1', 'FENIP', 'company', false, 'MA-09', '2023-11-01'),
    F2: await member('F2', 'FENIP', 'cooperative', true, 'MA-01', '2025-01-10', '2026-01-15'),
    A1: await member('A1', 'AMITH', 'gie', false, 'MA-06', '2024-09-01', '2024-12-31'),
  };
  // Withdrawn members cannot be assessed any more: assessments first, then the withdrawals.
  await addAssessments({ api }, m);
  await addActivities({ api }, m);
  for (const [id, withdrawnOn] of withdrawals) {
    const patch = await api({
      method: 'PATCH',
      url: `/v1/members/${id}`,
      headers: { 'if-match': '*', 'content-type': 'application/merge-patch+json' },
      body: { status: 'withdrawn', withdrawnOn },
    });
    expectStatus(patch, 200, `withdraw ${id}`);
  }
  return { members: m };
}

async function addAssessments({ api }: Pick<TestApp, 'api'>, m: Record<string, string>) {
  const grid = await api({ method: 'POST', url: '/v1/grids', body: GRID });
  expectStatus(grid, 201, 'grid');
  const gridId = grid.json().id as string;
  expectStatus(await api({ method: 'POST', url: `/v1/grids/${gridId}/publish` }), 200, 'publish');

  async function assess(memberId: string, assessedOn: string, category: string, submit = true) {
    const res = await api({
      method: 'POST',
      url: '/v1/assessments',
      body: {
        memberId,
        gridId,
        assessedOn,
        assessor: { name: 'Conseillère ASMEX' },
        answers: ANSWERS[category],
        submit,
      },
    });
    expectStatus(res, 201, `assessment ${category} ${assessedOn}`);
    if (submit && res.json().result?.category !== category)
      throw new Error(`expected ${category}, got ${JSON.stringify(res.json().result)}`);
  }
  await assess(m.M1 as string, '2024-05-01', 'C');
  await assess(m.M1 as string, '2025-04-15', 'A');
  await assess(m.M1 as string, '2025-08-01', 'D', false); // a draft counts nowhere
  await assess(m.M2 as string, '2024-10-01', 'A');
  await assess(m.M3 as string, '2025-06-01', 'A');
  await assess(m.M3 as string, '2025-09-01', 'INCOMPLETE');
  await assess(m.F1 as string, '2024-02-01', 'A');
  // Same day: the later submission decides.
  await assess(m.F1 as string, '2025-06-30', 'B');
  await assess(m.F1 as string, '2025-06-30', 'A');
  await assess(m.F2 as string, '2025-02-01', 'D');
  await assess(m.F2 as string, '2026-03-01', 'A'); // after the 2025 period: does not count
}

async function addActivities({ api }: Pick<TestApp, 'api'>, m: Record<string, string>) {
  async function activity(
    partnerCode: string,
    type: string,
    mode: string,
    startsOn: string,
    endsOn: string,
    participants: [string, number, number][],
  ) {
    const res = await api({
      method: 'POST',
      url: '/v1/activities',
      body: {
        partnerCode,
        type,
        mode,
        title: `${type} ${startsOn}`,
        startsOn,
        endsOn,
        country: 'MA',
        participants: participants.map(([memberId, women, men]) => ({ memberId, women, men })),
      },
    });
    expectStatus(res, 201, `activity ${type} ${startsOn}`);
  }
  await activity('ASMEX', 'trade_fair', 'physical', '2025-03-10', '2025-03-12', [
    [m.M1 as string, 1, 1],
    [m.F1 as string, 0, 2],
  ]);
  await activity('FENIP', 'trade_fair', 'digital', '2025-11-05', '2025-11-06', [
    [m.F1 as string, 1, 0],
    [m.F2 as string, 2, 0],
  ]);
  await activity('ASMEX', 'trade_fair', 'hybrid', '2026-01-05', '2026-01-07', [
    [m.M1 as string, 1, 0],
  ]);
  await activity('ASMEX', 'training', 'physical', '2025-06-01', '2025-06-02', [
    [m.M1 as string, 3, 1],
    [m.M3 as string, 2, 0],
  ]);
  await activity('FENIP', 'awareness', 'digital', '2025-12-31', '2026-01-02', [
    [m.F1 as string, 1, 4],
  ]);
  await activity('ASMEX', 'coaching', 'physical', '2025-05-01', '2025-05-01', [
    [m.M1 as string, 7, 7],
  ]);
}
