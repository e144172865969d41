/**
 * fast-check arbitraries of valid grid definitions, answers and members, shared by the property
 * tests of scoring and of field collection.
 */
import fc from 'fast-check';
import {
  type AnswerType,
  type Category,
  type Criterion,
  type GridDefinition,
  MEMBER_TYPES,
} from '../../src/modules/grids/definition.js';
import type { Answer, Member } from '../../src/modules/grids/scoring.js';

const txt = { fr: 'fr', en: 'en' };
export const HS_CODES = ['030389', '091020', '091099', '520812', '151590'];
const HS_CHAPTERS = ['03', '0910', '52', '15', '61'];

const weightArb = fc.double({ min: 0.01, max: 100, noNaN: true, noDefaultInfinity: true });
const unitScoreArb = fc.double({ min: 0, max: 1, noNaN: true });

const categoriesArb: fc.Arbitrary<Category[]> = fc
  .uniqueArray(fc.integer({ min: 1, max: 100 }), { maxLength: 4 })
  .map((mins) =>
    [...mins.sort((a, b) => b - a), 0].map((minScore, i) => ({
      code: `K${i}`,
      label: txt,
      minScore,
    })),
  );

const answerTypeArb: fc.Arbitrary<AnswerType> = fc.oneof(
  fc.constant({ type: 'boolean' as const }),
  fc.integer({ min: 1, max: 10 }).map((maxLevel) => ({ type: 'scale' as const, maxLevel })),
  fc.uniqueArray(fc.integer({ min: -50, max: 200 }), { minLength: 1, maxLength: 4 }).chain((mins) =>
    fc.array(unitScoreArb, { minLength: mins.length, maxLength: mins.length }).map((scores) => ({
      type: 'number' as const,
      bands: mins.sort((a, b) => a - b).map((min, i) => ({ min, score: scores[i]! })),
    })),
  ),
  fc.array(unitScoreArb, { minLength: 1, maxLength: 4 }).map((scores) => ({
    type: 'choice' as const,
    options: scores.map((score, i) => ({ code: `o${i}`, score })),
  })),
);

function criterionArb(categories: Category[]): fc.Arbitrary<Omit<Criterion, 'code'>> {
  return fc.record({
    title: fc.constant(txt),
    weight: weightArb,
    answer: answerTypeArb,
    knockout: fc.option(
      fc.record({
        cap: fc.constantFrom(...categories.map((c) => c.code)),
        minScore: fc.option(fc.double({ min: 0.01, max: 1, noNaN: true }), { nil: undefined }),
      }),
      { nil: undefined, freq: 3 },
    ),
    notApplicableAllowed: fc.boolean(),
    appliesTo: fc.option(
      fc.record(
        {
          memberTypes: fc.subarray([...MEMBER_TYPES], { minLength: 1 }),
          hsChapters: fc.subarray(HS_CHAPTERS, { minLength: 1 }),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined, freq: 3 },
    ),
    recommendation: fc.constant(txt),
  });
}

export const gridArb: fc.Arbitrary<GridDefinition> = categoriesArb.chain((categories) =>
  fc
    .array(
      fc.record({
        weight: weightArb,
        criteria: fc.array(criterionArb(categories), { minLength: 1, maxLength: 4 }),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((dims) => ({
      code: 'PROP',
      title: txt,
      minCoverage: 0.6,
      categories,
      dimensions: dims.map((d, i) => ({
        code: `D${i}`,
        title: txt,
        weight: d.weight,
        criteria: d.criteria.map((c, j) => ({ ...c, code: `d${i}c${j}` })),
      })),
    })),
);

/** Any valid value for an answer type (not necessarily a good one). */
export function valueArb(answer: AnswerType): fc.Arbitrary<unknown> {
  switch (answer.type) {
    case 'boolean':
      return fc.boolean();
    case 'scale':
      return fc.integer({ min: 0, max: answer.maxLevel });
    case 'number':
      return fc.oneof(
        fc.integer({ min: -100, max: 250 }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
      );
    case 'choice':
      return fc.constantFrom(...answer.options.map((o) => o.code));
  }
}

export const allCriteria = (grid: GridDefinition) => grid.dimensions.flatMap((d) => d.criteria);

/** For each criterion: no answer, a value, or (where allowed) not applicable. */
export function answersArb(grid: GridDefinition): fc.Arbitrary<Answer[]> {
  return fc
    .tuple(
      ...allCriteria(grid).map((c) => {
        const choices: fc.Arbitrary<Answer | null>[] = [
          fc.constant(null),
          valueArb(c.answer).map((value) => ({ criterion: c.code, value })),
          valueArb(c.answer).map((value) => ({ criterion: c.code, value })),
        ];
        if (c.notApplicableAllowed) {
          choices.push(fc.constant({ criterion: c.code, notApplicable: true }));
        }
        return fc.oneof(...choices);
      }),
    )
    .map((answers) => answers.filter((a): a is Answer => a !== null));
}

export const memberArb: fc.Arbitrary<Member | null> = fc.option(
  fc.record({
    type: fc.constantFrom(...MEMBER_TYPES),
    hsCodes: fc.subarray(HS_CODES),
  }),
  { nil: null, freq: 4 },
);

const codeArb = fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/);

/**
 * gridArb with arbitrary criterion and dimension codes (any allowed characters, unique), so
 * that codes differing only by case or punctuation meet, e.g. `A.1` and `a-1`.
 */
export const awkwardGridArb: fc.Arbitrary<GridDefinition> = gridArb.chain((grid) => {
  const count = grid.dimensions.reduce((n, d) => n + d.criteria.length, 0);
  return fc
    .tuple(
      fc.uniqueArray(codeArb, { minLength: count, maxLength: count }),
      fc.uniqueArray(codeArb, {
        minLength: grid.dimensions.length,
        maxLength: grid.dimensions.length,
      }),
    )
    .map(([codes, dimensionCodes]) => {
      let next = 0;
      return {
        ...grid,
        dimensions: grid.dimensions.map((d, i) => ({
          ...d,
          code: dimensionCodes[i] as string,
          criteria: d.criteria.map((c) => ({ ...c, code: codes[next++] as string })),
        })),
      };
    });
});
