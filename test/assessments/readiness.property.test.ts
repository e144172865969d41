import fc from 'fast-check';
import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { exampleGridBody, newMember, publishedGrid } from './fixtures.js';

const { api, app } = await startTestApp(t);
const grid = await publishedGrid(api, exampleGridBody());

/** Answers that score each category on the example grid. */
const ANSWERS: Record<string, unknown[]> = {
  A: [
    { criterion: 'c1', value: true },
    { criterion: 'c2', value: 4 },
    { criterion: 'c3', value: 'x' },
  ],
  B: [
    { criterion: 'c1', value: true },
    { criterion: 'c2', value: 3 },
    { criterion: 'c3', value: 'y' },
  ],
  C: [
    { criterion: 'c1', value: false },
    { criterion: 'c2', value: 3 },
    { criterion: 'c3', value: 'y' },
  ],
  INCOMPLETE: [{ criterion: 'c2', value: 4 }],
};

const assessmentArb = fc.record({
  assessedOn: fc.constantFrom('2024-01-10', '2024-06-30', '2025-02-01'),
  category: fc.constantFrom('A', 'B', 'C', 'INCOMPLETE'),
});

/**
 * The report's readiness spans (migration 0009): each submitted assessment holds from its
 * assessedOn until the next one in (assessedOn, submission) order.
 */
async function spansAsExpected(
  memberId: string,
  submitted: { id: string; assessedOn: string; category: string }[],
) {
  const ordered = [...submitted].sort((x, y) => x.assessedOn.localeCompare(y.assessedOn));
  const expected = ordered.map((a, i) => ({
    assessmentId: a.id,
    category: a.category,
    assessedOn: a.assessedOn,
    until: ordered[i + 1]?.assessedOn ?? null,
  }));
  const rows = await app.db
    .selectFrom('readinessSpans')
    .select(['assessmentId', 'category', 'assessedOn', 'until'])
    .where('memberId', '=', memberId)
    .execute();
  const byId = new Map(rows.map((r) => [r.assessmentId, r]));
  return (
    rows.length === expected.length &&
    expected.every((e) => JSON.stringify(byId.get(e.assessmentId)) === JSON.stringify(e))
  );
}

t.test('current readiness is the latest by assessedOn, ties by submission', async (t) => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(assessmentArb, { minLength: 1, maxLength: 5 }),
      fc.infiniteStream(fc.nat()),
      async (planned, picks) => {
        run += 1;
        const member = await newMember(api, 'FENIP', { name: `Property ${run}` });
        // Drafts first, then submitted in an arbitrary order.
        const drafts = [];
        for (const p of planned) {
          const res = await api({
            method: 'POST',
            url: '/v1/assessments',
            body: {
              memberId: member.id,
              gridId: grid.id,
              assessedOn: p.assessedOn,
              assessor: { name: 'Assessor' },
              answers: ANSWERS[p.category],
            },
          });
          drafts.push({ ...p, id: res.json().id as string });
        }
        const pending = [...drafts];
        const submitted: typeof drafts = [];
        const it = picks[Symbol.iterator]();
        while (pending.length > 0) {
          const [next] = pending.splice(it.next().value % pending.length, 1);
          const res = await api({ method: 'POST', url: `/v1/assessments/${next!.id}/submit` });
          if (res.statusCode !== 200) return false;
          submitted.push(next!);
          // Latest assessedOn; among equals, the one submitted last.
          const expected = submitted.reduce((best, a) =>
            a.assessedOn >= best.assessedOn ? a : best,
          );
          const readiness = (
            await api({ method: 'GET', url: `/v1/members/${member.id}/readiness` })
          ).json();
          const read = (await api({ method: 'GET', url: `/v1/members/${member.id}` })).json();
          if (readiness.current.assessmentId !== expected.id) return false;
          if (readiness.current.category !== expected.category) return false;
          if (read.readiness !== expected.category) return false;
          if (readiness.history.length !== submitted.length) return false;
          if (!(await spansAsExpected(member.id, submitted))) return false;
        }
        return true;
      },
    ),
    { seed: 20251129, numRuns: 12 },
  );
  t.pass('property held');
});
