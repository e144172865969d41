import fc from 'fast-check';
import t from 'tap';
import { bodyValidator } from '../../src/http/plugins/validation.js';
import {
  type GridDefinition,
  GridDefinitionSchema,
  validateGridDefinition,
} from '../../src/modules/grids/definition.js';
import {
  type Answer,
  type AssessmentResult,
  AssessmentResultSchema,
  criterionScore,
  scoreAssessment,
} from '../../src/modules/grids/scoring.js';
import {
  allCriteria,
  answersArb,
  gridArb,
  memberArb,
  valueArb,
} from '../helpers/grid-arbitraries.js';

// Seeded so a failure reproduces; fast-check prints the counterexample and its path.
// FC_SEED / FC_RUNS explore further without editing the file.
const RUNS = {
  seed: Number(process.env.FC_SEED ?? 42),
  numRuns: Number(process.env.FC_RUNS ?? 300),
};
const caseArb = gridArb.chain((grid) =>
  fc.record({ grid: fc.constant(grid), answers: answersArb(grid), member: memberArb }),
);

/** Position in the best-first list; INCOMPLETE has no rank. */
const rank = (grid: GridDefinition, code: string) =>
  grid.categories.findIndex((c) => c.code === code);

function checkBounds(grid: GridDefinition, r: AssessmentResult): void {
  if (!(r.score >= 0 && r.score <= 100)) throw new Error(`score ${r.score} out of [0, 100]`);
  if (!(r.coverage >= 0 && r.coverage <= 1))
    throw new Error(`coverage ${r.coverage} out of [0, 1]`);
  for (const d of r.dimensions) {
    if (d.score !== null && !(d.score >= 0 && d.score <= 1)) {
      throw new Error(`dimension ${d.code} score ${d.score} out of [0, 1]`);
    }
  }
  if (r.category !== 'INCOMPLETE' && rank(grid, r.category) < 0) {
    throw new Error(`unknown category ${r.category}`);
  }
  if (r.pointsToNext < 0) throw new Error(`pointsToNext ${r.pointsToNext} < 0`);
  if (r.gaps.some((g) => g.potentialPoints < 0 || g.score < 0 || g.score >= 1)) {
    throw new Error('gap out of bounds');
  }
}

t.test('generated grids are valid (else the properties below prove nothing)', async (t) => {
  fc.assert(
    fc.property(
      gridArb,
      (grid) =>
        validateGridDefinition(grid).length === 0 && bodyValidator(GridDefinitionSchema)(grid),
    ),
    RUNS,
  );
  t.pass('checked');
});

t.test('score in [0, 100], coverage in [0, 1], result matches its schema', async (t) => {
  fc.assert(
    fc.property(caseArb, ({ grid, answers, member }) => {
      const r = scoreAssessment(grid, answers, member);
      checkBounds(grid, r);
      return bodyValidator(AssessmentResultSchema)(r);
    }),
    RUNS,
  );
  t.pass('checked');
});

t.test('marking an allowed criterion not applicable never breaks the bounds', async (t) => {
  const withTarget = caseArb.chain((c) => {
    const allowed = allCriteria(c.grid).filter((x) => x.notApplicableAllowed);
    return allowed.length === 0
      ? fc.constant(null)
      : fc.constantFrom(...allowed).map((target) => ({ ...c, target }));
  });
  fc.assert(
    fc.property(withTarget, (c) => {
      fc.pre(c !== null);
      const { grid, answers, member, target } = c!;
      const marked: Answer[] = [
        ...answers.filter((a) => a.criterion !== target.code),
        { criterion: target.code, notApplicable: true },
      ];
      const r = scoreAssessment(grid, marked, member);
      checkBounds(grid, r);
      // It is out of every list that only applicable criteria can be in.
      return (
        r.notApplicable.some((n) => n.criterion === target.code) &&
        !r.unanswered.includes(target.code) &&
        !r.gaps.some((g) => g.criterion === target.code)
      );
    }),
    RUNS,
  );
  t.pass('checked');
});

t.test('multiplying all weights by a constant changes nothing', async (t) => {
  const scaled = (grid: GridDefinition, kd: number, kc: number): GridDefinition => ({
    ...grid,
    dimensions: grid.dimensions.map((d) => ({
      ...d,
      weight: d.weight * kd,
      criteria: d.criteria.map((c) => ({ ...c, weight: c.weight * kc })),
    })),
  });
  const kArb = fc.double({ min: 0.001, max: 1000, noNaN: true });
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  fc.assert(
    fc.property(caseArb, kArb, kArb, ({ grid, answers, member }, kd, kc) => {
      const a = scoreAssessment(grid, answers, member);
      const b = scoreAssessment(scaled(grid, kd, kc), answers, member);
      const gapsOf = (r: AssessmentResult) =>
        r.gaps.map((g) => `${g.criterion}:${g.potentialPoints.toFixed(6)}`).sort();
      return (
        close(a.score, b.score) &&
        close(a.coverage, b.coverage) &&
        a.category === b.category &&
        a.baseCategory === b.baseCategory &&
        JSON.stringify(a.knockouts) === JSON.stringify(b.knockouts) &&
        JSON.stringify(gapsOf(a)) === JSON.stringify(gapsOf(b)) &&
        a.dimensions.every((d, i) => {
          const e = b.dimensions[i]!.score;
          return d.score === null ? e === null : e !== null && close(d.score, e);
        })
      );
    }),
    RUNS,
  );
  t.pass('checked');
});

t.test('raising one answer never lowers the score', async (t) => {
  // Two values for one criterion: the one with the higher criterion score s must give a
  // score (and a category) at least as good. For number criteria a larger x is not always
  // better (band scores may fall), so "raising" is measured by s.
  const withTwoValues = caseArb.chain((c) =>
    fc
      .constantFrom(...allCriteria(c.grid))
      .chain((target) =>
        fc
          .tuple(valueArb(target.answer), valueArb(target.answer))
          .map(([v1, v2]) => ({ ...c, target, v1, v2 })),
      ),
  );
  fc.assert(
    fc.property(withTwoValues, ({ grid, answers, member, target, v1, v2 }) => {
      const [low, high] =
        criterionScore(target.answer, v1) <= criterionScore(target.answer, v2)
          ? [v1, v2]
          : [v2, v1];
      const others = answers.filter((a) => a.criterion !== target.code);
      const r1 = scoreAssessment(grid, [...others, { criterion: target.code, value: low }], member);
      const r2 = scoreAssessment(
        grid,
        [...others, { criterion: target.code, value: high }],
        member,
      );
      const notWorse =
        r1.category === 'INCOMPLETE'
          ? r2.category === 'INCOMPLETE'
          : rank(grid, r2.category) <= rank(grid, r1.category);
      return r2.score >= r1.score && r2.coverage === r1.coverage && notWorse;
    }),
    RUNS,
  );
  t.pass('checked');
});

t.test('a knock-out never raises a category', async (t) => {
  const withoutKnockouts = (grid: GridDefinition): GridDefinition => ({
    ...grid,
    dimensions: grid.dimensions.map((d) => ({
      ...d,
      criteria: d.criteria.map(({ knockout: _ignored, ...c }) => c),
    })),
  });
  fc.assert(
    fc.property(caseArb, ({ grid, answers, member }) => {
      const withKo = scoreAssessment(grid, answers, member);
      const without = scoreAssessment(withoutKnockouts(grid), answers, member);
      if (withKo.score !== without.score || withKo.baseCategory !== without.baseCategory) {
        return false; // knock-outs cap the category, never the score
      }
      if (withKo.category === 'INCOMPLETE') return true;
      return (
        without.category !== 'INCOMPLETE' &&
        rank(grid, withKo.category) >= rank(grid, without.category) &&
        rank(grid, withKo.category) >= rank(grid, withKo.baseCategory ?? '')
      );
    }),
    RUNS,
  );
  t.pass('checked');
});
