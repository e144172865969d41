// Valid answer sets on the default grid (SIPPO-ERG v1) at a few readiness levels, scored with
// the service's own scoring: the seed reuses these documents, the load scenarios send them.
import { defaultGrid, defaultGridCriteria } from '../src/modules/grids/default-grid.js';
import type { Criterion } from '../src/modules/grids/definition.js';
import {
  type Answer,
  type AssessmentResult,
  scoreAssessment,
} from '../src/modules/grids/scoring.js';

/** A member profile the answers are scored for: a company exporting saffron (HS 0910). */
const PROFILE_MEMBER = { type: 'company' as const, hsCodes: ['091020'] };

function valueAt(criterion: Criterion, level: number, jitter: number): unknown {
  const a = criterion.answer;
  const x = Math.min(1, Math.max(0, level + jitter));
  switch (a.type) {
    case 'boolean':
      return x >= 0.45;
    case 'scale':
      return Math.round(x * a.maxLevel);
    case 'choice':
      return a.options[Math.round(x * (a.options.length - 1))]?.code;
    case 'number': {
      // A value in the band the level reaches, whichever way the bands score.
      const ranked = [...a.bands].sort((p, q) => p.score - q.score);
      const band = ranked[Math.round(x * (ranked.length - 1))] ?? ranked[0];
      return (band?.min ?? 0) + 1;
    }
  }
}

/** Answers to every criterion at a level in [0, 1]; deterministic for a given seed. */
export function answersAt(level: number, seed = 1): Answer[] {
  return defaultGridCriteria.map((c, i) => ({
    criterion: c.code,
    value: valueAt(c, level, (((i * 7919 + seed * 104_729) % 21) - 10) / 100),
    ...(i % 9 === 0 ? { comment: 'Constaté lors de la visite' } : {}),
  }));
}

export interface AnswerProfile {
  answers: Answer[];
  result: AssessmentResult;
}

/** Profiles from weak to strong; their categories cover D to A. */
export function answerProfiles(): AnswerProfile[] {
  return [0.12, 0.3, 0.45, 0.58, 0.7, 0.82, 0.95].map((level, k) => {
    const answers = answersAt(level, k + 1);
    return { answers, result: scoreAssessment(defaultGrid, answers, PROFILE_MEMBER) };
  });
}
