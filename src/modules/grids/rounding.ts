import type { AssessmentResult, Gap } from './scoring.js';

/** Decimals of every number a scoring result answers with. */
const RESULT_DECIMALS = 4;
const SCALE = 10 ** RESULT_DECIMALS;

/**
 * A number as answered: rounded half away from zero at the output only, so that everything is
 * computed (and stored) from unrounded values and `70.94545454545454` reads `70.9455`.
 */
export function rounded(x: number): number {
  return (Math.sign(x) * Math.round(Math.abs(x) * SCALE)) / SCALE;
}

export const roundedGap = (gap: Gap): Gap => ({
  ...gap,
  score: rounded(gap.score),
  globalWeight: rounded(gap.globalWeight),
  potentialPoints: rounded(gap.potentialPoints),
});

/** A result as answered; the stored one keeps full precision. */
export function roundedResult(result: AssessmentResult): AssessmentResult {
  return {
    ...result,
    score: rounded(result.score),
    coverage: rounded(result.coverage),
    pointsToNext: rounded(result.pointsToNext),
    dimensions: result.dimensions.map((d) => ({
      ...d,
      share: rounded(d.share),
      score: d.score === null ? null : rounded(d.score),
    })),
    gaps: result.gaps.map(roundedGap),
  };
}
