import t from 'tap';
import { defaultGrid } from '../../src/modules/grids/default-grid.js';
import {
  type Criterion,
  type GridDefinition,
  validateGridDefinition,
} from '../../src/modules/grids/definition.js';
import {
  type Answer,
  bandScore,
  InvalidAnswersError,
  type Member,
  scoreAssessment,
  validateAnswers,
} from '../../src/modules/grids/scoring.js';
import { exampleGridBody } from '../helpers/example-grid.js';

const txt = (s: string) => ({ fr: `${s} (fr)`, en: `${s} (en)` });

const exampleGrid = () => exampleGridBody();

const answers = (values: Record<string, unknown>): Answer[] =>
  Object.entries(values).map(([criterion, value]) => ({ criterion, value }));

t.test('worked example, c1 = true: 70.8333… → B', async (t) => {
  const r = scoreAssessment(exampleGrid(), answers({ c1: true, c2: 3, c3: 'y' }), null);
  // S1 = (1·1 + 3·0.75)/4 = 0.8125, S2 = 0.5, score = 100 × (2·0.8125 + 1·0.5)/3
  t.same(
    r.dimensions.map((d) => [d.code, d.score, d.weight]),
    [
      ['D1', 0.8125, 2],
      ['D2', 0.5, 1],
    ],
  );
  // Unrounded; equal to 212.5/3 up to the last bit of binary floating point.
  t.ok(Math.abs(r.score - 212.5 / 3) < 1e-12, `score ${r.score}`);
  t.equal(r.score.toFixed(12), '70.833333333333');
  t.equal(r.coverage, 1);
  t.equal(r.baseCategory, 'B');
  t.equal(r.category, 'B');
  t.same(r.categoryLabel, { fr: 'Presque prêt', en: 'Nearly ready' });
  t.same(r.knockouts, []);
  t.same(r.missingKnockouts, []);
  t.equal(r.nextCategory, 'A');
  t.equal(r.pointsToNext.toFixed(12), '9.166666666667');
  // g(c3) = 1/3, s = 0.5 → 16.67 points; g(c2) = 2/3 × 3/4 = 0.5, s = 0.75 → 12.5 points.
  t.same(
    r.gaps.map((g) => [g.criterion, g.dimension, g.score, g.knockout]),
    [
      ['c3', 'D2', 0.5, false],
      ['c2', 'D1', 0.75, false],
    ],
  );
  t.equal(r.gaps[0]!.potentialPoints, 100 * (1 / 3) * 0.5);
  t.equal(r.gaps[1]!.potentialPoints, 12.5);
  t.equal(r.gaps[1]!.globalWeight, 0.5);
  t.same(r.gaps[0]!.recommendation, txt('do c3'));
});

t.test('worked example, c1 = false: 54.1666… → base C, knock-out caps at C', async (t) => {
  const r = scoreAssessment(exampleGrid(), answers({ c1: false, c2: 3, c3: 'y' }), null);
  t.equal(r.dimensions[0]!.score, 0.5625);
  t.ok(Math.abs(r.score - 162.5 / 3) < 1e-12, `score ${r.score}`);
  t.equal(r.score.toFixed(12), '54.166666666667');
  t.equal(r.baseCategory, 'C');
  t.equal(r.category, 'C');
  t.same(r.knockouts, [{ criterion: 'c1', cap: 'C' }]);
  t.equal(r.nextCategory, 'B');
  t.equal(r.pointsToNext.toFixed(12), '5.833333333333');
  // The failed knock-out comes first even though c3 could add as many points.
  t.same(
    r.gaps.map((g) => [g.criterion, g.knockout, g.cap ?? null]),
    [
      ['c1', true, 'C'],
      ['c3', false, null],
      ['c2', false, null],
    ],
  );
  t.equal(r.gaps[0]!.potentialPoints.toFixed(10), (100 / 6).toFixed(10));
});

t.test('a knock-out caps a better base category', async (t) => {
  const grid = exampleGrid();
  grid.dimensions[0]!.weight = 1;
  grid.dimensions[0]!.criteria[0]!.weight = 0.01; // c1 barely counts, but still caps
  const r = scoreAssessment(grid, answers({ c1: false, c2: 4, c3: 'x' }), null);
  t.ok(r.score > 99.8 && r.score < 100, `score ${r.score}`);
  t.equal(r.baseCategory, 'A');
  t.equal(r.category, 'C');
  t.same(r.categoryLabel, { fr: 'En développement', en: 'Developing' });
  t.equal(r.pointsToNext, 0);
  t.equal(r.nextCategory, null);

  // The failed knock-out is listed first although c3 could add far more points.
  const r2 = scoreAssessment(grid, answers({ c1: false, c2: 4, c3: 'y' }), null);
  t.same(
    r2.gaps.map((g) => [g.criterion, g.knockout, g.potentialPoints.toFixed(4)]),
    [
      ['c1', true, '0.1661'], // 100 × (1/2 × 0.01/3.01) × 1
      ['c3', false, '25.0000'], // 100 × 1/2 × 0.5
    ],
  );
  t.equal(r2.baseCategory, 'B');
  t.equal(r2.category, 'C');
});

t.test('knockout.minScore: fails only below it', async (t) => {
  const grid = exampleGrid();
  grid.dimensions[0]!.criteria[1]!.knockout = { cap: 'D', minScore: 0.5 };
  const at = (level: number) =>
    scoreAssessment(grid, answers({ c1: true, c2: level, c3: 'x' }), null);
  t.same(at(1).knockouts, [{ criterion: 'c2', cap: 'D' }]);
  t.equal(at(1).category, 'D');
  t.same(at(2).knockouts, [], 'level 2 of 4 = 0.5 meets the minimum');
  t.equal(at(2).category, 'B'); // 100 × (2·(1 + 1.5)/4 + 1)/3 = 75
  t.equal(at(2).score, 75);
  // Met but below 1: an ordinary gap, not a knock-out gap.
  t.same(
    at(2).gaps.map((g) => [g.criterion, g.knockout]),
    [['c2', false]],
  );
});

t.test('a score worked out by hand as exactly minScore reaches the category', async (t) => {
  const grid = exampleGrid();
  grid.categories = [
    { code: 'P', label: txt('P'), minScore: 57 },
    { code: 'Q', label: txt('Q'), minScore: 0 },
  ];
  grid.dimensions = [grid.dimensions[1]!];
  grid.dimensions[0]!.criteria[0]!.answer = {
    type: 'choice',
    options: [{ code: 'x', score: 0.57 }],
  };
  const r = scoreAssessment(grid, answers({ c3: 'x' }), null);
  t.equal(r.score, 56.99999999999999, '100 × 0.57 in binary floating point');
  t.equal(r.category, 'P', 'compared with a 1e-9 tolerance');
  t.equal(r.pointsToNext, 0);
});

t.test('INCOMPLETE when coverage is below minCoverage', async (t) => {
  const r = scoreAssessment(exampleGrid(), answers({ c1: true, c3: 'y' }), null);
  t.equal(r.coverage, 0.5); // g(c1) + g(c3) = 1/6 + 1/3
  t.equal(r.category, 'INCOMPLETE');
  t.same(r.categoryLabel, { fr: 'Évaluation incomplète', en: 'Incomplete assessment' });
  // baseCategory is still computed from the score: S1 = 1, S2 = 0.5 → 83.33.
  t.equal(r.score.toFixed(12), '83.333333333333');
  t.equal(r.baseCategory, 'A');
  t.same(r.unanswered, ['c2']);
  t.same(r.missingKnockouts, []);
  t.same(
    r.dimensions.map((d) => [d.code, d.applicable, d.answered]),
    [
      ['D1', 2, 1],
      ['D2', 1, 1],
    ],
  );
});

t.test('coverage exactly at minCoverage is enough', async (t) => {
  const grid = exampleGrid();
  grid.minCoverage = 0.5;
  const r = scoreAssessment(grid, answers({ c1: true, c3: 'y' }), null);
  t.equal(r.coverage, 0.5);
  t.equal(r.category, 'A');
});

t.test('INCOMPLETE when an applicable knock-out is unanswered', async (t) => {
  const r = scoreAssessment(exampleGrid(), answers({ c2: 3, c3: 'y' }), null);
  t.equal(r.coverage.toFixed(12), '0.833333333333'); // g(c2) + g(c3) = 1/2 + 1/3
  t.ok(r.coverage >= 0.8, 'coverage alone would be enough');
  t.equal(r.category, 'INCOMPLETE');
  t.same(r.missingKnockouts, ['c1']);
  t.same(r.unanswered, ['c1']);
  t.equal(r.baseCategory, 'B'); // S1 = 0.75, S2 = 0.5 → 66.67
  t.equal(r.score.toFixed(12), '66.666666666667');
});

t.test('an answer with no value is unanswered, not a zero', async (t) => {
  const r = scoreAssessment(
    exampleGrid(),
    [
      { criterion: 'c1', value: true },
      { criterion: 'c2', value: null, comment: 'waiting for the audit' },
      { criterion: 'c3', evidence: 'photo.jpg' },
    ],
    null,
  );
  t.same(r.unanswered, ['c2', 'c3']);
  t.equal(r.score, 100);
  t.equal(r.coverage, 1 / 6);
});

t.test('nothing answered: score 0, no base category, INCOMPLETE', async (t) => {
  const r = scoreAssessment(exampleGrid(), [], null);
  t.equal(r.score, 0);
  t.equal(r.coverage, 0);
  t.equal(r.baseCategory, null);
  t.equal(r.category, 'INCOMPLETE');
  t.same(
    r.dimensions.map((d) => d.score),
    [null, null],
  );
  t.same(r.gaps, []);
  t.same(r.unanswered, ['c1', 'c2', 'c3']);
  t.equal(r.pointsToNext, 40, 'from 0 to the next category above D');
});

t.test('notApplicable leaves numerator and denominator', async (t) => {
  const r = scoreAssessment(
    exampleGrid(),
    [...answers({ c1: true, c2: 3 }), { criterion: 'c3', notApplicable: true }],
    null,
  );
  // D2 has no applicable criterion left: score = S1 = 0.8125.
  t.equal(r.score, 81.25);
  t.equal(r.coverage, 1);
  t.equal(r.category, 'A');
  t.same(r.notApplicable, [{ criterion: 'c3', reason: 'answered' }]);
  t.same(r.dimensions[1], {
    code: 'D2',
    weight: 1,
    share: 0,
    score: null,
    applicable: 0,
    answered: 0,
  });
  t.equal(r.dimensions[0]!.share, 1);
  t.same(
    r.gaps.map((g) => [g.criterion, g.globalWeight, g.potentialPoints]),
    [['c2', 0.75, 18.75]],
  );
});

/** A grid whose criteria apply to some members only. */
function sectorGrid(): GridDefinition {
  const grid = exampleGrid();
  grid.dimensions[1]!.criteria.push(
    {
      code: 'coop',
      title: txt('coop'),
      weight: 1,
      answer: { type: 'boolean' },
      appliesTo: { memberTypes: ['cooperative', 'gie'] },
      recommendation: txt('coop'),
    },
    {
      code: 'fish_or_saffron',
      title: txt('fish or saffron'),
      weight: 1,
      answer: { type: 'boolean' },
      appliesTo: { hsChapters: ['03', '0910'] },
      recommendation: txt('fish'),
    },
    {
      code: 'coop_fish',
      title: txt('coop fish'),
      weight: 1,
      answer: { type: 'boolean' },
      appliesTo: { memberTypes: ['cooperative'], hsChapters: ['03'] },
      recommendation: txt('coop fish'),
    },
  );
  return grid;
}

t.test('appliesTo by member type and HS chapter prefix', async (t) => {
  const all = answers({
    c1: true,
    c2: 4,
    c3: 'x',
    coop: false,
    fish_or_saffron: false,
    coop_fish: false,
  });
  const excluded = (member: Member | null) =>
    scoreAssessment(sectorGrid(), all, member)
      .notApplicable.filter((n) => n.reason === 'appliesTo')
      .map((n) => n.criterion);

  t.same(excluded(null), [], 'no member: every criterion applies');
  t.same(excluded({ type: 'company', hsCodes: ['091020'] }), ['coop', 'coop_fish']);
  t.same(excluded({ type: 'cooperative', hsCodes: ['091020'] }), ['coop_fish']);
  t.same(excluded({ type: 'cooperative', hsCodes: ['030389'] }), []);
  t.same(excluded({ type: 'gie', hsCodes: ['090111'] }), ['fish_or_saffron', 'coop_fish']);
  t.same(
    excluded({ type: 'cooperative', hsCodes: [] }),
    ['fish_or_saffron', 'coop_fish'],
    'no products: chapter rules exclude',
  );
  t.same(
    excluded({ type: 'cooperative', hsCodes: ['151590', '030741'] }),
    [],
    'one matching product is enough',
  );
  t.same(
    excluded({ type: 'association', hsCodes: ['309100'] }),
    ['coop', 'fish_or_saffron', 'coop_fish'],
    'a prefix matches the start of the code only',
  );
});

t.test('criteria excluded by appliesTo do not count, even if answered', async (t) => {
  const all = answers({
    c1: true,
    c2: 4,
    c3: 'x',
    coop: false,
    fish_or_saffron: false,
    coop_fish: false,
  });
  const company = scoreAssessment(sectorGrid(), all, { type: 'company', hsCodes: ['151590'] });
  t.equal(company.score, 100);
  const coop = scoreAssessment(sectorGrid(), all, { type: 'cooperative', hsCodes: ['030389'] });
  // D2 now holds c3 (1) and three failed criteria (0): S2 = 1/4; score = 100 × (2 + 0.25)/3.
  t.equal(coop.dimensions[1]!.score, 0.25);
  t.equal(coop.score, 75);
});

t.test('number bands', async (t) => {
  const bands = [
    { min: 10, score: 0.5 },
    { min: 50, score: 1 },
  ];
  t.equal(bandScore(bands, 5), 0, 'below the lowest band scores 0');
  t.equal(bandScore(bands, -1e9), 0);
  t.equal(bandScore(bands, 10), 0.5, 'min is inclusive');
  t.equal(bandScore(bands, 49.99), 0.5);
  t.equal(bandScore(bands, 50), 1);
  t.equal(bandScore(bands, 1e12), 1);
  t.equal(
    bandScore(
      [
        { min: 0, score: 1 },
        { min: 30, score: 0.2 },
      ],
      45,
    ),
    0.2,
    'scores need not rise',
  );

  const grid = exampleGrid();
  grid.dimensions[1]!.criteria[0]!.answer = { type: 'number', unit: 't/an', bands };
  const at = (x: number) => scoreAssessment(grid, answers({ c1: true, c2: 4, c3: x }), null);
  t.equal(at(5).dimensions[1]!.score, 0);
  t.equal(at(5).score.toFixed(12), '66.666666666667');
  t.equal(at(20).dimensions[1]!.score, 0.5);
  t.equal(at(20).score.toFixed(12), '83.333333333333');
  t.equal(at(50).score, 100);
});

t.test('gaps: ordering by potential points, ties in grid order', async (t) => {
  const grid = exampleGrid();
  grid.dimensions[0]!.weight = 1; // now g(c1) = 1/8, g(c2) = 3/8, g(c3) = 1/2
  const r = scoreAssessment(grid, answers({ c1: true, c2: 2, c3: 'y' }), null);
  // c2: 100 × 3/8 × 0.5 = 18.75; c3: 100 × 1/2 × 0.5 = 25.
  t.same(
    r.gaps.map((g) => [g.criterion, g.potentialPoints]),
    [
      ['c3', 25],
      ['c2', 18.75],
    ],
  );
  // score = 100 × (0.625 + 0.5)/2 = 56.25 → C, 3.75 points to B.
  t.equal(r.score, 56.25);
  t.equal(r.category, 'C');
  t.equal(r.pointsToNext, 3.75);

  grid.dimensions[0]!.criteria[1]!.weight = 1; // g(c1) = g(c2) = 1/4
  const tie = scoreAssessment(grid, answers({ c1: false, c2: 0, c3: 'x' }), null);
  grid.dimensions[0]!.criteria[0]!.knockout = undefined;
  const tieNoKnockout = scoreAssessment(grid, answers({ c1: false, c2: 0, c3: 'x' }), null);
  t.same(
    tie.gaps.map((g) => g.criterion),
    ['c1', 'c2'],
  );
  t.same(
    tieNoKnockout.gaps.map((g) => [g.criterion, g.potentialPoints]),
    [
      ['c1', 25],
      ['c2', 25],
    ],
    'equal potential keeps grid order',
  );
});

t.test('answer validation lists every error with its pointer', async (t) => {
  const grid = exampleGrid();
  grid.dimensions[1]!.criteria.push({
    code: 'n',
    title: txt('n'),
    weight: 1,
    answer: { type: 'number', bands: [{ min: 0, score: 1 }] },
    recommendation: txt('n'),
  });
  const bad: Answer[] = [
    { criterion: 'c1', value: 'yes' }, // 0 wrong type for boolean
    { criterion: 'c2', value: 2.5 }, // 1 scale not integer
    { criterion: 'nope', value: 1 }, // 2 unknown criterion
    { criterion: 'c3', value: 'z' }, // 3 not an option code
    { criterion: 'n', value: '12' }, // 4 number as string
    { criterion: 'c2', value: 1 }, // 5 duplicate
    { criterion: 'c1', notApplicable: true }, // 6 duplicate (reported before NA)
  ];
  t.same(validateAnswers(grid, bad), [
    { pointer: '/answers/0/value', message: 'criterion "c1": must be true or false' },
    {
      pointer: '/answers/1/value',
      message: 'criterion "c2": must be an integer level from 0 to 4',
    },
    { pointer: '/answers/2/criterion', message: 'unknown criterion "nope"' },
    { pointer: '/answers/3/value', message: 'criterion "c3": must be one of "x", "y"' },
    { pointer: '/answers/4/value', message: 'criterion "n": must be a finite number' },
    {
      pointer: '/answers/5/criterion',
      message: 'duplicate answer for criterion "c2" (first at /answers/1)',
    },
    {
      pointer: '/answers/6/criterion',
      message: 'duplicate answer for criterion "c1" (first at /answers/0)',
    },
  ]);

  const single = (answer: Answer) => validateAnswers(grid, [answer]).map((i) => i.pointer);
  const valueError = ['/answers/0/value'];
  t.same(single({ criterion: 'c1', value: 1 }), valueError, 'boolean: 1 is not true');
  t.same(single({ criterion: 'c1', value: 'true' }), valueError);
  t.same(single({ criterion: 'c2', value: -1 }), valueError, 'scale below 0');
  t.same(single({ criterion: 'c2', value: 5 }), valueError, 'scale above maxLevel');
  t.same(single({ criterion: 'c2', value: '3' }), valueError, 'scale as string');
  t.same(single({ criterion: 'c2', value: true }), valueError);
  t.same(single({ criterion: 'n', value: Number.NaN }), valueError);
  t.same(single({ criterion: 'n', value: Number.POSITIVE_INFINITY }), valueError);
  t.same(single({ criterion: 'c3', value: 1 }), valueError, 'choice: a score is not a code');
  t.same(single({ criterion: 'c3', value: ['x'] }), valueError);
  t.same(single({ criterion: 'c1', notApplicable: true }), ['/answers/0/notApplicable']);
  t.same(validateAnswers(grid, [{ criterion: 'c1', notApplicable: true }]), [
    {
      pointer: '/answers/0/notApplicable',
      message: 'criterion "c1" cannot be answered not applicable',
    },
  ]);
  t.same(
    single({ criterion: 'c3', notApplicable: true, value: 'x' }),
    valueError,
    'a not-applicable answer takes no value',
  );
  t.same(single({ criterion: 'c3', notApplicable: 'yes' as unknown as boolean }), [
    '/answers/0/notApplicable',
  ]);

  // Valid edge values.
  t.same(single({ criterion: 'c2', value: 0 }), []);
  t.same(single({ criterion: 'c2', value: 4 }), []);
  t.same(single({ criterion: 'c1', value: false }), []);
  t.same(single({ criterion: 'n', value: -3.5 }), [], 'any finite number');
  t.same(single({ criterion: 'c3', notApplicable: true }), []);
  t.same(single({ criterion: 'c3', notApplicable: false, value: 'y' }), []);
  t.same(single({ criterion: 'c2' }), [], 'no value: unanswered');
});

t.test('scoreAssessment refuses invalid answers instead of scoring them 0', async (t) => {
  let caught: unknown;
  try {
    scoreAssessment(exampleGrid(), answers({ c1: 'no', c2: 9 }), null);
  } catch (err) {
    caught = err;
  }
  t.ok(caught instanceof InvalidAnswersError, 'throws InvalidAnswersError');
  t.same(
    (caught as InvalidAnswersError).issues.map((i) => i.pointer),
    ['/answers/0/value', '/answers/1/value'],
  );
});

/** The best answer value for a criterion (a value in the best band, the best option...). */
function bestValue(c: Criterion): unknown {
  switch (c.answer.type) {
    case 'boolean':
      return true;
    case 'scale':
      return c.answer.maxLevel;
    case 'number':
      return [...c.answer.bands].sort((a, b) => b.score - a.score)[0]!.min;
    case 'choice':
      return [...c.answer.options].sort((a, b) => b.score - a.score)[0]!.code;
  }
}

t.test('default grid SIPPO-ERG', async (t) => {
  t.same(validateGridDefinition(defaultGrid), [], 'passes the semantic rules');
  t.equal(defaultGrid.code, 'SIPPO-ERG');
  t.same(
    defaultGrid.dimensions.map((d) => [d.code, d.weight]),
    [
      ['LEGAL', 15],
      ['PRODUCTION', 15],
      ['QUALITY', 20],
      ['CERTIFICATIONS', 10],
      ['MANAGEMENT', 15],
      ['MARKET', 15],
      ['DIGITAL', 10],
    ],
  );
  for (const d of defaultGrid.dimensions) {
    t.ok(d.criteria.length >= 3 && d.criteria.length <= 6, `${d.code}: 3 to 6 criteria`);
    for (const c of d.criteria) {
      t.ok(
        c.recommendation.fr.length > 40 && c.recommendation.en.length > 40,
        `${c.code}: concrete recommendation in fr and en`,
      );
    }
  }
  const types = new Set(
    defaultGrid.dimensions.flatMap((d) => d.criteria.map((c) => c.answer.type)),
  );
  t.same([...types].sort(), ['boolean', 'choice', 'number', 'scale'], 'uses every answer type');
  t.same(
    defaultGrid.categories.map((c) => [c.code, c.minScore, c.label.en]),
    [
      ['A', 80, 'Export-ready'],
      ['B', 60, 'Nearly ready'],
      ['C', 40, 'Developing'],
      ['D', 0, 'Pre-export'],
    ],
  );
  const knockouts = defaultGrid.dimensions.flatMap((d) =>
    d.criteria.filter((c) => c.knockout).map((c) => [c.code, c.knockout!.cap]),
  );
  t.same(knockouts, [
    ['LEG_REGISTRATION', 'D'],
    ['QLT_ONSSA', 'C'],
  ]);
});

const saffronCoop: Member = { type: 'cooperative', hsCodes: ['091020'] };

function bestAnswers(member: Member): Answer[] {
  return defaultGrid.dimensions.flatMap((d) =>
    d.criteria
      .filter((c) => {
        const r = c.appliesTo;
        if (r?.memberTypes && !r.memberTypes.includes(member.type)) return false;
        return (
          !r?.hsChapters || r.hsChapters.some((p) => member.hsCodes.some((h) => h.startsWith(p)))
        );
      })
      .map((c) => ({ criterion: c.code, value: bestValue(c) })),
  );
}

t.test('default grid scores a saffron cooperative', async (t) => {
  const best = scoreAssessment(defaultGrid, bestAnswers(saffronCoop), saffronCoop);
  t.same(
    best.notApplicable.map((n) => n.criterion),
    ['QLT_EACCE', 'FSH_EU_APPROVAL', 'TXT_CERTIFICATION', 'FSH_SUSTAINABLE'],
    'fish, textile and EACCE criteria do not apply to saffron',
  );
  t.equal(best.score, 100);
  t.equal(best.coverage, 1);
  t.equal(best.category, 'A');
  t.same(best.gaps, []);

  // Realistic: CNSS not applicable (members only, no employees), trademark only in Morocco,
  // one trade fair, saffron tested but not category I.
  const realistic = bestAnswers(saffronCoop).map((a) => {
    if (a.criterion === 'LEG_CNSS') return { criterion: a.criterion, notApplicable: true };
    if (a.criterion === 'LEG_TRADEMARK') return { ...a, value: 'morocco' };
    if (a.criterion === 'MKT_TRADE_FAIRS') return { ...a, value: 1 };
    if (a.criterion === 'SAF_ISO3632') return { ...a, value: 'tested' };
    return a;
  });
  const r = scoreAssessment(defaultGrid, realistic, saffronCoop);
  // LEGAL: 7.6/8 = 0.95; CERTIFICATIONS: 5/6; MARKET: 9/10.
  t.same(
    r.dimensions.map((d) => [d.code, d.score?.toFixed(12)]),
    [
      ['LEGAL', '0.950000000000'],
      ['PRODUCTION', '1.000000000000'],
      ['QUALITY', '1.000000000000'],
      ['CERTIFICATIONS', '0.833333333333'],
      ['MANAGEMENT', '1.000000000000'],
      ['MARKET', '0.900000000000'],
      ['DIGITAL', '1.000000000000'],
    ],
  );
  // 15·0.95 + 15 + 20 + 10·5/6 + 15 + 15·0.9 + 10 = 96.0833…
  t.equal(r.score.toFixed(10), '96.0833333333');
  t.equal(r.category, 'A');
  t.same(
    r.gaps.map((g) => [g.criterion, g.potentialPoints.toFixed(10)]),
    [
      ['SAF_ISO3632', '1.6666666667'], // 100 × (10/100 × 2/6) × 0.5
      ['MKT_TRADE_FAIRS', '1.5000000000'], // 100 × (15/100 × 2/10) × 0.5
      ['LEG_TRADEMARK', '0.7500000000'], // 100 × (15/100 × 1/8) × 0.4
    ],
  );
  t.match(r.gaps[0]!.recommendation.fr, /ISO 3632/);
  t.match(r.gaps[0]!.recommendation.en, /ISO 3632/);

  // Without ONSSA approval the cooperative cannot sell food abroad: capped at C.
  const noOnssa = realistic.map((a) => (a.criterion === 'QLT_ONSSA' ? { ...a, value: false } : a));
  const capped = scoreAssessment(defaultGrid, noOnssa, saffronCoop);
  t.equal(capped.baseCategory, 'A');
  t.equal(capped.category, 'C');
  t.same(capped.knockouts, [{ criterion: 'QLT_ONSSA', cap: 'C' }]);
  t.equal(capped.gaps[0]!.criterion, 'QLT_ONSSA');
  t.match(capped.gaps[0]!.recommendation.fr, /ONSSA/);
});

t.test('default grid for a textile company', async (t) => {
  const member: Member = { type: 'company', hsCodes: ['520812', '610910'] };
  const r = scoreAssessment(defaultGrid, bestAnswers(member), member);
  t.same(
    r.notApplicable.map((n) => n.criterion),
    [
      'LEG_COOP_GOVERNANCE',
      'QLT_ONSSA',
      'QLT_FOOD_SAFETY',
      'QLT_EACCE',
      'FSH_EU_APPROVAL',
      'CRT_ORGANIC',
      'SAF_ISO3632',
      'FSH_SUSTAINABLE',
    ],
  );
  t.equal(r.score, 100);
  t.equal(r.category, 'A');
  const unregistered = bestAnswers(member).map((a) =>
    a.criterion === 'LEG_REGISTRATION' ? { ...a, value: false } : a,
  );
  const capped = scoreAssessment(defaultGrid, unregistered, member);
  t.equal(capped.category, 'D', 'no legal existence caps at D');
  t.same(capped.knockouts, [{ criterion: 'LEG_REGISTRATION', cap: 'D' }]);
});
