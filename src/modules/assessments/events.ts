import type { Principal } from '../../http/plugins/auth.js';
import type { EventInput } from '../events/outbox.js';
import type { MemberRow } from '../members/document.js';
import type { AssessmentRow } from './repository.js';

export interface ReadinessMove {
  from: string | null;
  to: string | null;
  /** The assessment the member's readiness now comes from. */
  assessmentId: string | null;
}

/**
 * The feed's events of a submission: `assessment.submitted` (its result, a category and score,
 * is no personal data), and `readiness.changed` when the member's category moved.
 */
export function submissionEvents(
  principal: Principal,
  row: AssessmentRow,
  member: MemberRow,
  result: { category: string; score: number },
  readiness: ReadinessMove,
): EventInput[] {
  const common = { partnerCode: member.partnerCode, actor: principal };
  const events: EventInput[] = [
    {
      ...common,
      type: 'assessment.submitted',
      subject: { kind: 'assessment', id: row.id },
      data: {
        memberId: member.id,
        gridId: row.gridId,
        version: row.version + 1,
        category: result.category,
        score: result.score,
        ...(row.rescoredFrom ? { rescoredFrom: row.rescoredFrom } : {}),
      },
    },
  ];
  if (readiness.from !== readiness.to) {
    events.push({
      ...common,
      type: 'readiness.changed',
      subject: { kind: 'member', id: member.id, externalRef: member.externalRef },
      data: { memberId: member.id, ...readiness },
    });
  }
  return events;
}
