/**
 * Scoring of an assessment against a grid: the rules of docs/scoring.md, one function per step.
 * Pure functions, no I/O. Notation follows that page: s = criterion score, w_c / w_d =
 * criterion / dimension weights, g(c) = global weight, S_d = dimension score.
 *
 * Edge cases, which docs/scoring.md and the result schema state too:
 * - `member = null` (e.g. evaluating a grid without a member): `appliesTo` is not evaluated and
 *   every criterion applies.
 * - An answer with no `value` (or `value: null`) and no `notApplicable: true` is *unanswered*:
 *   it lets an assessor keep evidence or a comment on a draft before choosing a value.
 * - A dimension with no answered applicable criterion has `score: null`; when no criterion at
 *   all is answered, `score` is 0 and `baseCategory` is null.
 * - When no criterion applies at all, coverage is 0, hence INCOMPLETE.
 * - Unanswered criteria are not gaps (they have no s); they are listed in `unanswered`.
 * - `pointsToNext` is measured from `baseCategory` (the score's own category): a knock-out cap
 *   is lifted by fixing the knock-out (listed first in `gaps`), not by adding points.
 * - The grid is assumed to pass validateGridDefinition.
 * - Threshold comparisons (coverage ≥ minCoverage, score ≥ minScore, s ≥ knockout.minScore)
 *   tolerate 1e-9, so that a value worked out by hand as exactly 80 is not classed below 80
 *   because of binary floating point (e.g. 0.1 + 0.7 = 0.7999999999999999).
 */
import { type Static, Type } from 'typebox';
import { component, ref, responseComponent } from '../../http/schemas/components.js';
import { MULTILINE } from '../../http/schemas/text.js';
import {
  type AnswerType,
  type Category,
  CodeSchema,
  type Criterion,
  DEFAULT_MIN_COVERAGE,
  type Dimension,
  type GridDefinition,
  INCOMPLETE,
  type MemberType,
  TextSchema,
  TitleSchema,
  type ValidationIssue,
} from './definition.js';

const EPSILON = 1e-9;
const atLeast = (x: number, threshold: number) => x >= threshold - EPSILON;

// ---------------------------------------------------------------------------------------------
// Answers

export const AnswerSchema = component(
  'Answer',
  Type.Object(
    {
      criterion: CodeSchema,
      value: Type.Optional(
        Type.Unknown({
          description:
            'boolean: true/false; scale: integer level 0..maxLevel; number: finite number; choice: an option code. Omit (or null) while unanswered.',
        }),
      ),
      notApplicable: Type.Optional(Type.Boolean()),
      evidence: Type.Optional(Type.String({ maxLength: 2000 })),
      comment: Type.Optional(Type.String({ maxLength: 2000, [MULTILINE]: true })),
    },
    { additionalProperties: false, title: 'The answer to one criterion' },
  ),
);
export type Answer = Static<typeof AnswerSchema>;

export type Member = { type: MemberType; hsCodes: readonly string[] };

const isUnset = (value: unknown) => value === undefined || value === null;

/** Why a value does not fit an answer type, or null when it fits. */
function valueProblem(answer: AnswerType, value: unknown): string | null {
  switch (answer.type) {
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'scale':
      return Number.isInteger(value) &&
        (value as number) >= 0 &&
        (value as number) <= answer.maxLevel
        ? null
        : `must be an integer level from 0 to ${answer.maxLevel}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a finite number';
    case 'choice':
      return answer.options.some((o) => o.code === value)
        ? null
        : `must be one of ${answer.options.map((o) => `"${o.code}"`).join(', ')}`;
  }
}

/**
 * Every problem of an answer list against a grid, with pointers like `/answers/3/value`
 * (relative to a body holding the list under `answers`). Independent of the member: an answer
 * to a criterion that `appliesTo` later excludes is still checked, and then ignored by scoring.
 */
export function validateAnswers(
  grid: GridDefinition,
  answers: readonly Answer[],
): ValidationIssue[] {
  const criteria = criteriaByCode(grid);
  const issues: ValidationIssue[] = [];
  const firstAnswer = new Map<string, number>();
  answers.forEach((answer, i) => {
    const at = `/answers/${i}`;
    const criterion = criteria.get(answer.criterion);
    if (criterion === undefined) {
      issues.push({
        pointer: `${at}/criterion`,
        message: `unknown criterion "${answer.criterion}"`,
      });
      return;
    }
    const first = firstAnswer.get(answer.criterion);
    if (first !== undefined) {
      issues.push({
        pointer: `${at}/criterion`,
        message: `duplicate answer for criterion "${answer.criterion}" (first at /answers/${first})`,
      });
      return;
    }
    firstAnswer.set(answer.criterion, i);
    issues.push(...answerProblems(criterion, answer, at));
  });
  return issues;
}

function answerProblems(criterion: Criterion, answer: Answer, at: string): ValidationIssue[] {
  const name = `criterion "${criterion.code}"`;
  const na = answer.notApplicable;
  if (na !== undefined && typeof na !== 'boolean') {
    return [{ pointer: `${at}/notApplicable`, message: `${name}: must be true or false` }];
  }
  if (na === true) {
    const issues: ValidationIssue[] = [];
    if (!criterion.notApplicableAllowed) {
      issues.push({
        pointer: `${at}/notApplicable`,
        message: `${name} cannot be answered not applicable`,
      });
    }
    if (!isUnset(answer.value)) {
      issues.push({
        pointer: `${at}/value`,
        message: `${name}: a not-applicable answer takes no value`,
      });
    }
    return issues;
  }
  if (isUnset(answer.value)) return [];
  const problem = valueProblem(criterion.answer, answer.value);
  return problem === null ? [] : [{ pointer: `${at}/value`, message: `${name}: ${problem}` }];
}

function criteriaByCode(grid: GridDefinition): Map<string, Criterion> {
  return new Map(grid.dimensions.flatMap((d) => d.criteria.map((c) => [c.code, c] as const)));
}

/** Thrown by scoreAssessment when the answers do not pass validateAnswers: never a silent 0. */
export class InvalidAnswersError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(`invalid answers: ${issues.map((i) => `${i.pointer} ${i.message}`).join('; ')}`);
    this.name = 'InvalidAnswersError';
  }
}

// ---------------------------------------------------------------------------------------------
// Criterion score s ∈ [0, 1]

/** s for a value already checked by valueProblem. */
export function criterionScore(answer: AnswerType, value: unknown): number {
  switch (answer.type) {
    case 'boolean':
      return value === true ? 1 : 0;
    case 'scale':
      return (value as number) / answer.maxLevel;
    case 'number':
      return bandScore(answer.bands, value as number);
    case 'choice':
      return answer.options.find((o) => o.code === value)?.score ?? 0;
  }
}

/** Score of the band with the greatest `min` ≤ x; 0 below the lowest band. */
export function bandScore(bands: readonly { min: number; score: number }[], x: number): number {
  let best: { min: number; score: number } | undefined;
  for (const band of bands) {
    if (band.min <= x && (best === undefined || band.min > best.min)) best = band;
  }
  return best?.score ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Applicability

/**
 * Whether `appliesTo` includes the member: its type is listed (when types are given) and, when
 * chapters are given, one of its products' HS codes starts with one of them.
 * With no member, every criterion applies.
 */
function appliesToMember(criterion: Criterion, member: Member | null): boolean {
  const rule = criterion.appliesTo;
  if (member === null || rule === undefined) return true;
  if (rule.memberTypes !== undefined && !rule.memberTypes.includes(member.type)) return false;
  if (rule.hsChapters !== undefined) {
    const chapters = rule.hsChapters;
    return member.hsCodes.some((hs) => chapters.some((chapter) => hs.startsWith(chapter)));
  }
  return true;
}

type NotApplicableReason = 'appliesTo' | 'answered';

/** One criterion of the grid as seen by this assessment. */
type Evaluated = {
  criterion: Criterion;
  dimension: Dimension;
  notApplicable: NotApplicableReason | null;
  /** s, or null when unanswered (or not applicable). */
  s: number | null;
};

type EvaluatedDimension = { dimension: Dimension; criteria: Evaluated[] };

function evaluate(
  grid: GridDefinition,
  answers: readonly Answer[],
  member: Member | null,
): EvaluatedDimension[] {
  const byCriterion = new Map(answers.map((a) => [a.criterion, a] as const));
  return grid.dimensions.map((dimension) => ({
    dimension,
    criteria: dimension.criteria.map((criterion) => {
      const answer = byCriterion.get(criterion.code);
      const notApplicable: NotApplicableReason | null = !appliesToMember(criterion, member)
        ? 'appliesTo'
        : answer?.notApplicable === true
          ? 'answered'
          : null;
      const answered = notApplicable === null && answer !== undefined && !isUnset(answer.value);
      return {
        criterion,
        dimension,
        notApplicable,
        s: answered ? criterionScore(criterion.answer, answer.value) : null,
      };
    }),
  }));
}

const applicable = (criteria: Evaluated[]) => criteria.filter((c) => c.notApplicable === null);
const answeredApplicable = (criteria: Evaluated[]) =>
  applicable(criteria).filter((c) => c.s !== null);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------
// Global weights and coverage

/**
 * g(c) = (w_d / Σ w_d') × (w_c / Σ w_c' in d), sums over applicable criteria and over dimensions
 * with at least one applicable criterion. Keyed by criterion code; applicable criteria only.
 */
function globalWeights(dimensions: EvaluatedDimension[]): Map<string, number> {
  const withApplicable = dimensions.filter((d) => applicable(d.criteria).length > 0);
  const totalDimensionWeight = sum(withApplicable.map((d) => d.dimension.weight));
  const g = new Map<string, number>();
  for (const d of withApplicable) {
    const criteria = applicable(d.criteria);
    const totalCriterionWeight = sum(criteria.map((c) => c.criterion.weight));
    for (const c of criteria) {
      g.set(
        c.criterion.code,
        (d.dimension.weight / totalDimensionWeight) * (c.criterion.weight / totalCriterionWeight),
      );
    }
  }
  return g;
}

/**
 * coverage = Σ g(c) over answered applicable criteria, in [0, 1].
 * Computed grouped by dimension, Σ_d w_d × (answered w_c in d / applicable w_c in d) / Σ w_d,
 * which is the same sum; dividing once at the end keeps a fully answered grid at exactly 1
 * in floating point and never lands above 1.
 */
function coverage(dimensions: EvaluatedDimension[]): number {
  const withApplicable = dimensions.filter((d) => applicable(d.criteria).length > 0);
  if (withApplicable.length === 0) return 0;
  const weightOf = (criteria: Evaluated[]) => sum(criteria.map((c) => c.criterion.weight));
  const answeredShare = (d: EvaluatedDimension) =>
    weightOf(answeredApplicable(d.criteria)) / weightOf(applicable(d.criteria));
  return (
    sum(withApplicable.map((d) => d.dimension.weight * answeredShare(d))) /
    sum(withApplicable.map((d) => d.dimension.weight))
  );
}

// ---------------------------------------------------------------------------------------------
// Scores

/** S_d = Σ w_c·s_c / Σ w_c over answered applicable criteria of d; null when there are none. */
function dimensionScore(criteria: Evaluated[]): number | null {
  const answered = answeredApplicable(criteria);
  if (answered.length === 0) return null;
  const weights = sum(answered.map((c) => c.criterion.weight));
  return sum(answered.map((c) => c.criterion.weight * (c.s as number))) / weights;
}

/**
 * score = 100 × Σ w_d·S_d / Σ w_d over dimensions with at least one answered applicable
 * criterion; 0 when there is none. Kept unrounded.
 */
function overallScore(dimensions: { weight: number; score: number | null }[]): number {
  const scored = dimensions.filter((d) => d.score !== null);
  if (scored.length === 0) return 0;
  const weights = sum(scored.map((d) => d.weight));
  // Dividing before scaling keeps the ratio ≤ 1 exactly in floating point, so a perfect
  // answer set scores exactly 100 and never 100.00000000000001.
  return 100 * (sum(scored.map((d) => d.weight * (d.score as number))) / weights);
}

// ---------------------------------------------------------------------------------------------
// Category

/** The first category (best first) with score ≥ minScore. */
function baseCategoryOf(categories: readonly Category[], score: number): Category {
  // The last category has minScore 0 (validateGridDefinition), so one always matches.
  return categories.find((c) => atLeast(score, c.minScore)) ?? categories[categories.length - 1]!;
}

/** A knock-out fails when its criterion is answered with s < knockout.minScore (default 1). */
function knockoutFails(c: Evaluated): boolean {
  const knockout = c.criterion.knockout;
  return knockout !== undefined && c.s !== null && !atLeast(c.s, knockout.minScore ?? 1);
}

/**
 * Rules 1 and 3 of "Category": INCOMPLETE when coverage < minCoverage or an applicable
 * knock-out is unanswered; otherwise the worse of the base category and every failed cap.
 */
function categoryOf(
  grid: GridDefinition,
  facts: { coverage: number; base: Category; failedCaps: string[]; missingKnockouts: number },
): string {
  const minCoverage = grid.minCoverage ?? DEFAULT_MIN_COVERAGE;
  if (!atLeast(facts.coverage, minCoverage) || facts.missingKnockouts > 0) return INCOMPLETE;
  return facts.failedCaps.reduce((cat, cap) => worse(grid.categories, cat, cap), facts.base.code);
}

/** The worse (later in the best-first list) of two category codes. */
function worse(categories: readonly Category[], a: string, b: string): string {
  const rank = (code: string) => categories.findIndex((c) => c.code === code);
  return rank(b) > rank(a) ? b : a;
}

// ---------------------------------------------------------------------------------------------
// Result

const DimensionResultSchema = responseComponent(
  'DimensionResult',
  Type.Object(
    {
      code: Type.String(),
      weight: Type.Number({ description: 'w_d as defined in the grid.' }),
      share: Type.Number({
        description:
          "w_d / Σ w_d' over dimensions with an applicable criterion (0 when none applies): the dimension part of g(c).",
      }),
      score: Type.Union([Type.Number(), Type.Null()], {
        description:
          'S_d in [0, 1]; null when no applicable criterion of the dimension is answered.',
      }),
      applicable: Type.Integer({ description: 'Number of applicable criteria.' }),
      answered: Type.Integer({ description: 'Number of answered applicable criteria.' }),
    },
    { additionalProperties: false, title: 'The score of one dimension' },
  ),
);

export const GapSchema = responseComponent(
  'Gap',
  Type.Object(
    {
      criterion: Type.String(),
      dimension: Type.String(),
      score: Type.Number({ description: 'The criterion score s in [0, 1).' }),
      globalWeight: Type.Number({ description: 'g(c).' }),
      potentialPoints: Type.Number({
        description: '100 × g(c) × (1 − s): points it could still add.',
      }),
      knockout: Type.Boolean({ description: 'true for a failed knock-out.' }),
      cap: Type.Optional(Type.String({ description: 'The cap of a failed knock-out.' })),
      recommendation: TextSchema,
    },
    { additionalProperties: false, title: 'A criterion worth working on, with its recommendation' },
  ),
);

export const AssessmentResultSchema = responseComponent(
  'AssessmentResult',
  Type.Object(
    {
      score: Type.Number({
        description: '0 to 100; 0 when no applicable criterion is answered.',
      }),
      coverage: Type.Number({ description: 'Σ g(c) over answered applicable criteria, 0 to 1.' }),
      category: Type.String({ description: `A category code, or "${INCOMPLETE}".` }),
      categoryLabel: TitleSchema,
      baseCategory: Type.Union([Type.String(), Type.Null()], {
        description:
          'Category from the score alone (computed even when INCOMPLETE); null when nothing is answered.',
      }),
      nextCategory: Type.Union([Type.String(), Type.Null()], {
        description: 'The next better category than the one the score reaches; null at the top.',
      }),
      pointsToNext: Type.Number({ description: 'nextCategory.minScore − score, or 0.' }),
      dimensions: Type.Array(ref(DimensionResultSchema)),
      knockouts: Type.Array(
        Type.Object(
          { criterion: Type.String(), cap: Type.String() },
          { additionalProperties: false },
        ),
        { description: 'Failed knock-outs.' },
      ),
      missingKnockouts: Type.Array(Type.String(), {
        description: 'Applicable knock-out criteria left unanswered (these make it INCOMPLETE).',
      }),
      unanswered: Type.Array(Type.String(), {
        description: 'Applicable criteria left unanswered.',
      }),
      notApplicable: Type.Array(
        Type.Object(
          {
            criterion: Type.String(),
            reason: Type.Union([Type.Literal('appliesTo'), Type.Literal('answered')]),
          },
          { additionalProperties: false },
        ),
      ),
      gaps: Type.Array(ref(GapSchema), {
        description:
          'Failed knock-outs first, then answered applicable criteria with s < 1, each group by potentialPoints descending (grid order on ties).',
      }),
    },
    {
      additionalProperties: false,
      title: 'The score and category of answers on a grid',
      description:
        'Every number is rounded to 4 decimals, each computed from unrounded values (so parts may not add up to the last digit).',
    },
  ),
);
export type AssessmentResult = Static<typeof AssessmentResultSchema>;
export type Gap = Static<typeof GapSchema>;
type DimensionResult = Static<typeof DimensionResultSchema>;

const INCOMPLETE_LABEL = { fr: 'Évaluation incomplète', en: 'Incomplete assessment' };

/**
 * Scores answers on a grid for a member (null: every criterion applies).
 * Throws InvalidAnswersError when validateAnswers finds a problem.
 */
export function scoreAssessment(
  grid: GridDefinition,
  answers: readonly Answer[],
  member: Member | null,
): AssessmentResult {
  const issues = validateAnswers(grid, answers);
  if (issues.length > 0) throw new InvalidAnswersError(issues);

  const evaluated = evaluate(grid, answers, member);
  const g = globalWeights(evaluated);
  const dimensions = dimensionResults(evaluated);
  const score = overallScore(dimensions);
  const all = evaluated.flatMap((d) => d.criteria);
  const anyAnswered = all.some((c) => c.notApplicable === null && c.s !== null);

  const base = baseCategoryOf(grid.categories, score);
  const failed = all.filter((c) => c.notApplicable === null && knockoutFails(c));
  const missingKnockouts = all.filter(
    (c) => c.notApplicable === null && c.criterion.knockout !== undefined && c.s === null,
  );
  const cov = coverage(evaluated);
  const category = categoryOf(grid, {
    coverage: cov,
    base,
    failedCaps: failed.map((c) => c.criterion.knockout!.cap),
    missingKnockouts: missingKnockouts.length,
  });
  const next = nextBetter(grid.categories, base);

  return {
    score,
    coverage: cov,
    category,
    categoryLabel: labelOf(grid.categories, category),
    baseCategory: anyAnswered ? base.code : null,
    nextCategory: next?.code ?? null,
    pointsToNext: next === null ? 0 : Math.max(0, next.minScore - score),
    dimensions,
    knockouts: failed.map((c) => ({ criterion: c.criterion.code, cap: c.criterion.knockout!.cap })),
    missingKnockouts: missingKnockouts.map((c) => c.criterion.code),
    unanswered: all
      .filter((c) => c.notApplicable === null && c.s === null)
      .map((c) => c.criterion.code),
    notApplicable: all
      .filter((c) => c.notApplicable !== null)
      .map((c) => ({ criterion: c.criterion.code, reason: c.notApplicable! })),
    gaps: gaps(all, g),
  };
}

function dimensionResults(evaluated: EvaluatedDimension[]): DimensionResult[] {
  const withApplicable = evaluated.filter((d) => applicable(d.criteria).length > 0);
  const total = sum(withApplicable.map((d) => d.dimension.weight));
  return evaluated.map((d) => {
    const applicableCount = applicable(d.criteria).length;
    return {
      code: d.dimension.code,
      weight: d.dimension.weight,
      share: applicableCount > 0 ? d.dimension.weight / total : 0,
      score: dimensionScore(d.criteria),
      applicable: applicableCount,
      answered: answeredApplicable(d.criteria).length,
    };
  });
}

/** The category just better than `current`, or null when it is the best. */
function nextBetter(categories: readonly Category[], current: Category): Category | null {
  const index = categories.indexOf(current);
  return index > 0 ? categories[index - 1]! : null;
}

function labelOf(categories: readonly Category[], code: string) {
  return categories.find((c) => c.code === code)?.label ?? INCOMPLETE_LABEL;
}

/**
 * What to work on next: failed knock-outs first, then applicable answered criteria with s < 1,
 * each group ordered by g(c) × (1 − s) descending; ties keep grid order (sort is stable).
 */
function gaps(criteria: Evaluated[], g: Map<string, number>): Gap[] {
  const candidates = criteria
    .filter((c) => c.notApplicable === null && c.s !== null && (c.s < 1 || knockoutFails(c)))
    .map((c) => toGap(c, g.get(c.criterion.code) ?? 0));
  const byPotential = (a: Gap, b: Gap) => b.potentialPoints - a.potentialPoints;
  return [
    ...candidates.filter((gap) => gap.knockout).sort(byPotential),
    ...candidates.filter((gap) => !gap.knockout).sort(byPotential),
  ];
}

function toGap(c: Evaluated, globalWeight: number): Gap {
  const s = c.s as number;
  const failed = knockoutFails(c);
  return {
    criterion: c.criterion.code,
    dimension: c.dimension.code,
    score: s,
    globalWeight,
    potentialPoints: 100 * globalWeight * (1 - s),
    knockout: failed,
    ...(failed ? { cap: c.criterion.knockout!.cap } : {}),
    recommendation: c.criterion.recommendation,
  };
}
