import t from 'tap';
import { bodyValidator } from '../../src/http/plugins/validation.js';
import {
  type GridDefinition,
  GridDefinitionSchema,
  validateGridDefinition,
} from '../../src/modules/grids/definition.js';

const txt = (s: string) => ({ fr: `${s} (fr)`, en: `${s} (en)` });

/** docs/scoring.md's example grid plus a number criterion, so every answer type is present. */
function validGrid(): GridDefinition {
  return {
    code: 'EXAMPLE',
    title: { fr: 'Exemple', en: 'Example' },
    minCoverage: 0.8,
    categories: [
      { code: 'A', label: txt('A'), minScore: 80 },
      { code: 'B', label: txt('B'), minScore: 60 },
      { code: 'C', label: txt('C'), minScore: 40 },
      { code: 'D', label: txt('D'), minScore: 0 },
    ],
    dimensions: [
      {
        code: 'D1',
        title: txt('D1'),
        weight: 2,
        criteria: [
          {
            code: 'c1',
            title: txt('c1'),
            weight: 1,
            answer: { type: 'boolean' },
            knockout: { cap: 'C' },
            recommendation: txt('c1'),
          },
          {
            code: 'c2',
            title: txt('c2'),
            weight: 3,
            answer: { type: 'scale', maxLevel: 4 },
            recommendation: txt('c2'),
          },
        ],
      },
      {
        code: 'D2',
        title: txt('D2'),
        weight: 1,
        criteria: [
          {
            code: 'c3',
            title: txt('c3'),
            weight: 1,
            answer: {
              type: 'choice',
              options: [
                { code: 'x', score: 1 },
                { code: 'y', score: 0.5 },
              ],
            },
            notApplicableAllowed: true,
            recommendation: txt('c3'),
          },
          {
            code: 'c4',
            title: txt('c4'),
            weight: 1,
            answer: {
              type: 'number',
              unit: 't/an',
              bands: [
                { min: 0, score: 0 },
                { min: 10, score: 0.5 },
                { min: 50, score: 1 },
              ],
            },
            appliesTo: { memberTypes: ['cooperative'], hsChapters: ['03', '0910'] },
            recommendation: txt('c4'),
          },
        ],
      },
    ],
  };
}

/** The pointers validateGridDefinition reports after `mutate` is applied to a valid grid. */
function pointersAfter(mutate: (g: GridDefinition) => void): string[] {
  const grid = validGrid();
  mutate(grid);
  return validateGridDefinition(grid).map((issue) => issue.pointer);
}

const d1 = (g: GridDefinition) => g.dimensions[0]!;
const d2 = (g: GridDefinition) => g.dimensions[1]!;
const c1 = (g: GridDefinition) => d1(g).criteria[0]!;
const c2 = (g: GridDefinition) => d1(g).criteria[1]!;
const c3 = (g: GridDefinition) => d2(g).criteria[0]!;
const c4 = (g: GridDefinition) => d2(g).criteria[1]!;
const choice = (g: GridDefinition) => {
  const a = c3(g).answer;
  if (a.type !== 'choice') throw new Error('fixture: c3 is a choice');
  return a;
};
const bands = (g: GridDefinition) => {
  const a = c4(g).answer;
  if (a.type !== 'number') throw new Error('fixture: c4 is a number');
  return a.bands;
};

t.test('the fixture is valid for the schema and the semantic rules', async (t) => {
  t.equal(bodyValidator(GridDefinitionSchema)(validGrid()), true);
  t.same(validateGridDefinition(validGrid()), []);
});

t.test('weights must be positive', async (t) => {
  t.same(
    pointersAfter((g) => (d1(g).weight = 0)),
    ['/dimensions/0/weight'],
  );
  t.same(
    pointersAfter((g) => (d2(g).weight = -1)),
    ['/dimensions/1/weight'],
  );
  t.same(
    pointersAfter((g) => (c2(g).weight = 0)),
    ['/dimensions/0/criteria/1/weight'],
  );
  t.same(
    pointersAfter((g) => (c4(g).weight = Number.NaN)),
    ['/dimensions/1/criteria/1/weight'],
  );
  t.same(
    pointersAfter((g) => (c2(g).weight = 0.001)),
    [],
    'small but positive is fine',
  );
});

t.test('codes must be unique', async (t) => {
  t.same(
    pointersAfter((g) => (d2(g).code = 'D1')),
    ['/dimensions/1/code'],
  );
  t.same(
    pointersAfter((g) => (c3(g).code = 'c1')),
    ['/dimensions/1/criteria/0/code'],
    'criterion codes are unique across dimensions',
  );
  t.same(
    pointersAfter((g) => (c2(g).code = 'c1')),
    ['/dimensions/0/criteria/1/code'],
  );
  t.same(
    pointersAfter((g) => (g.categories[1]!.code = 'A')),
    ['/categories/1/code'],
  );
  t.same(
    pointersAfter((g) => (choice(g).options[1]!.code = 'x')),
    ['/dimensions/1/criteria/0/answer/options/1/code'],
  );
  const grid = validGrid();
  c3(grid).code = 'c1';
  t.same(validateGridDefinition(grid), [
    {
      pointer: '/dimensions/1/criteria/0/code',
      message: 'duplicate criterion code "c1" (first at /dimensions/0/criteria/0/code)',
    },
  ]);
});

t.test('option codes only need to be unique within their criterion', async (t) => {
  t.same(
    pointersAfter((g) =>
      d1(g).criteria.push({
        code: 'c5',
        title: txt('c5'),
        weight: 1,
        answer: { type: 'choice', options: [{ code: 'x', score: 1 }] },
        recommendation: txt('c5'),
      }),
    ),
    [],
  );
});

t.test('categories: best first, strictly decreasing minScore, last at 0', async (t) => {
  t.same(
    pointersAfter((g) => (g.categories[2]!.minScore = 60)),
    ['/categories/2/minScore'],
  );
  t.same(
    pointersAfter((g) => (g.categories[1]!.minScore = 90)),
    ['/categories/1/minScore'],
  );
  t.same(
    pointersAfter((g) => (g.categories[3]!.minScore = 10)),
    ['/categories/3/minScore'],
  );
  t.same(
    pointersAfter((g) => (g.categories[0]!.minScore = 120)),
    ['/categories/0/minScore'],
  );
  t.same(
    pointersAfter((g) => g.categories.reverse()),
    [
      '/categories/1/minScore',
      '/categories/2/minScore',
      '/categories/3/minScore',
      '/categories/3/minScore',
    ],
    'ascending order: each later category is not lower, and the last is not 0',
  );
  t.same(
    pointersAfter((g) => {
      g.categories = [g.categories[3]!];
      c1(g).knockout = { cap: 'D' };
    }),
    [],
    'one category at 0 is valid',
  );
  t.same(
    pointersAfter((g) => (g.categories = [g.categories[0]!, g.categories[3]!])),
    ['/dimensions/0/criteria/0/knockout/cap'],
    'removing a category breaks the knock-outs capping at it',
  );
  t.same(
    pointersAfter((g) => (g.categories = [])),
    ['/categories', '/dimensions/0/criteria/0/knockout/cap'],
  );
  t.same(
    pointersAfter((g) => (g.categories[1]!.code = 'INCOMPLETE')),
    ['/categories/1/code'],
  );
  const grid = validGrid();
  grid.categories[3]!.minScore = 5;
  t.same(validateGridDefinition(grid), [
    {
      pointer: '/categories/3/minScore',
      message: 'the last category must have minScore 0 (got 5)',
    },
  ]);
});

t.test('number bands: ascending min, scores in [0, 1]', async (t) => {
  const at = '/dimensions/1/criteria/1/answer/bands';
  t.same(
    pointersAfter((g) => (bands(g)[1]!.min = 0)),
    [`${at}/1/min`],
    'equal min',
  );
  t.same(
    pointersAfter((g) => (bands(g)[2]!.min = 5)),
    [`${at}/2/min`],
    'decreasing min',
  );
  t.same(
    pointersAfter((g) => (bands(g)[0]!.score = 1.5)),
    [`${at}/0/score`],
  );
  t.same(
    pointersAfter((g) => (bands(g)[2]!.score = -0.1)),
    [`${at}/2/score`],
  );
  t.same(
    pointersAfter((g) => bands(g).splice(0)),
    [at],
    'at least one band',
  );
  t.same(
    pointersAfter((g) => {
      bands(g)[0]!.min = -100; // negative bounds are fine
      bands(g)[2]!.score = 0; // scores need not rise
    }),
    [],
  );
});

t.test('choice option scores in [0, 1]', async (t) => {
  const at = '/dimensions/1/criteria/0/answer/options';
  t.same(
    pointersAfter((g) => (choice(g).options[0]!.score = 2)),
    [`${at}/0/score`],
  );
  t.same(
    pointersAfter((g) => (choice(g).options[1]!.score = -1)),
    [`${at}/1/score`],
  );
  t.same(
    pointersAfter((g) => (choice(g).options = [])),
    [at],
  );
  t.same(
    pointersAfter((g) => (choice(g).options[1]!.score = 0)),
    [],
  );
});

t.test('scale maxLevel is an integer ≥ 1', async (t) => {
  const at = '/dimensions/0/criteria/1/answer/maxLevel';
  const setMax = (value: number) => (g: GridDefinition) => {
    c2(g).answer = { type: 'scale', maxLevel: value };
  };
  t.same(pointersAfter(setMax(0)), [at]);
  t.same(pointersAfter(setMax(2.5)), [at]);
  t.same(pointersAfter(setMax(-3)), [at]);
  t.same(pointersAfter(setMax(1)), []);
  t.same(pointersAfter(setMax(10)), []);
});

t.test('knock-outs: cap names a category, minScore in (0, 1]', async (t) => {
  const at = '/dimensions/0/criteria/0/knockout';
  t.same(
    pointersAfter((g) => (c1(g).knockout = { cap: 'Z' })),
    [`${at}/cap`],
  );
  t.same(
    pointersAfter((g) => (c1(g).knockout = { cap: 'C', minScore: 0 })),
    [`${at}/minScore`],
  );
  t.same(
    pointersAfter((g) => (c1(g).knockout = { cap: 'C', minScore: 1.01 })),
    [`${at}/minScore`],
  );
  t.same(
    pointersAfter((g) => (c1(g).knockout = { cap: 'C', minScore: -0.5 })),
    [`${at}/minScore`],
  );
  t.same(
    pointersAfter((g) => (c1(g).knockout = { cap: 'D', minScore: 1 })),
    [],
  );
  t.same(
    pointersAfter((g) => (c2(g).knockout = { cap: 'B', minScore: 0.5 })),
    [],
  );
  const grid = validGrid();
  c1(grid).knockout = { cap: 'E' };
  t.same(validateGridDefinition(grid), [
    { pointer: `${at}/cap`, message: '"E" is not a category of this grid' },
  ]);
});

t.test('minCoverage in [0, 1]', async (t) => {
  t.same(
    pointersAfter((g) => (g.minCoverage = 1.2)),
    ['/minCoverage'],
  );
  t.same(
    pointersAfter((g) => (g.minCoverage = -0.1)),
    ['/minCoverage'],
  );
  t.same(
    pointersAfter((g) => (g.minCoverage = 0)),
    [],
  );
  t.same(
    pointersAfter((g) => (g.minCoverage = 1)),
    [],
  );
  t.same(
    pointersAfter((g) => delete g.minCoverage),
    [],
    'optional (default 0.8)',
  );
});

t.test('empty lists', async (t) => {
  t.same(
    pointersAfter((g) => (g.dimensions = [])),
    ['/dimensions'],
  );
  t.same(
    pointersAfter((g) => (d2(g).criteria = [])),
    ['/dimensions/1/criteria'],
  );
  t.same(
    pointersAfter((g) => (c4(g).appliesTo = { memberTypes: [] })),
    ['/dimensions/1/criteria/1/appliesTo/memberTypes'],
  );
  t.same(
    pointersAfter((g) => (c4(g).appliesTo = { hsChapters: [] })),
    ['/dimensions/1/criteria/1/appliesTo/hsChapters'],
  );
});

t.test('a definition with several problems lists them all, in document order', async (t) => {
  const grid = validGrid();
  grid.minCoverage = 2;
  grid.categories[1]!.code = 'A';
  grid.categories[3]!.minScore = 10;
  d1(grid).weight = 0;
  c1(grid).knockout = { cap: 'X', minScore: 0 };
  c2(grid).answer = { type: 'scale', maxLevel: 0 };
  c3(grid).code = 'c2';
  choice(grid).options[1]!.score = 3;
  bands(grid)[1]!.min = 60;
  t.same(
    validateGridDefinition(grid).map((i) => i.pointer),
    [
      '/minCoverage',
      '/categories/1/code',
      '/categories/3/minScore',
      '/dimensions/0/weight',
      '/dimensions/0/criteria/0/knockout/cap',
      '/dimensions/0/criteria/0/knockout/minScore',
      '/dimensions/0/criteria/1/answer/maxLevel',
      '/dimensions/1/criteria/0/code',
      '/dimensions/1/criteria/0/answer/options/1/score',
      '/dimensions/1/criteria/1/answer/bands/2/min',
    ],
  );
});

t.test('the schema checks the shape', async (t) => {
  const check = (mutate: (g: Record<string, unknown>) => void) => {
    const grid = validGrid() as unknown as Record<string, unknown>;
    mutate(grid);
    return bodyValidator(GridDefinitionSchema)(grid);
  };
  const dims = (g: Record<string, unknown>) => g.dimensions as Record<string, unknown>[];
  const crit = (g: Record<string, unknown>, d: number, c: number) =>
    (dims(g)[d]!.criteria as Record<string, unknown>[])[c]!;

  t.equal(
    check((g) => (g.extra = 1)),
    false,
    'no additional properties',
  );
  t.equal(
    check((g) => (g.code = 'has space')),
    false,
    'code pattern',
  );
  t.equal(
    check((g) => (g.code = 'x'.repeat(41))),
    false,
    'code length',
  );
  t.equal(
    check((g) => (g.title = { fr: 'Exemple' })),
    false,
    'en is required',
  );
  t.equal(
    check((g) => (g.title = { fr: 'Ex', en: 'Ex', ar: 'مثال' })),
    true,
    'ar is optional',
  );
  t.equal(
    check((g) => (crit(g, 0, 0).answer = { type: 'text' })),
    false,
    'unknown answer type',
  );
  t.equal(
    check((g) => (crit(g, 0, 0).answer = { type: 'boolean', maxLevel: 3 })),
    false,
    'no stray properties in an answer type',
  );
  t.equal(
    check((g) => (crit(g, 1, 1).appliesTo = { hsChapters: ['3'] })),
    false,
    'HS chapters are 2, 4 or 6 digits',
  );
  t.equal(
    check((g) => (crit(g, 1, 1).appliesTo = { hsChapters: ['091020'] })),
    true,
  );
  t.equal(
    check((g) => (crit(g, 1, 1).appliesTo = { memberTypes: ['ngo'] })),
    false,
    'member types are a closed list',
  );
  t.equal(
    check((g) => delete crit(g, 0, 0).recommendation),
    false,
    'recommendation is required',
  );
  t.equal(
    check((g) => (dims(g)[0]!.criteria = Array.from({ length: 31 }, () => crit(g, 0, 1)))),
    false,
    'at most 30 criteria per dimension',
  );
});
