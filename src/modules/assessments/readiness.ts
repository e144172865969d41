import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { rounded, roundedGap } from '../grids/rounding.js';
import { storedResult, submittedHistory } from './repository.js';
import type { Readiness } from './schemas.js';

/**
 * A member's readiness: every submitted assessment oldest first, and the current one, the last
 * of them (latest assessedOn, then latest submission; docs/kpis.md → Member dates). An INCOMPLETE latest assessment
 * is current as INCOMPLETE: the programme sees that the last visit could not conclude.
 */
export async function readinessOf(db: Kysely<Database>, memberId: string): Promise<Readiness> {
  const rows = await submittedHistory(db, memberId);
  const history = rows.map((r) => ({
    assessmentId: r.assessmentId,
    assessedOn: r.assessedOn,
    submittedAt: r.submittedAt as string,
    gridCode: r.gridCode,
    gridVersion: r.gridVersion,
    category: r.category as string,
    score: rounded(r.score as number),
    rescoredFrom: r.rescoredFrom,
  }));
  const last = history[history.length - 1];
  if (!last) return { current: null, history };
  // The gaps served with the assessment itself (its result), so one call says what to do next.
  const result = await storedResult(db, last.assessmentId);
  return {
    current: {
      assessmentId: last.assessmentId,
      assessedOn: last.assessedOn,
      category: last.category,
      score: last.score,
      gaps: (result?.gaps ?? []).map(roundedGap),
    },
    history,
  };
}
