import type { ColumnType } from 'kysely';
import type { MemberType } from './members.js';

type ReadOnly<T> = ColumnType<T, never, never>;

/**
 * The category of each submitted assessment from its assessedOn until the member's next one
 * (exclusive; null while latest), with the member's dimensions and dates as they are now: the
 * KPI report's read model. Written only by triggers (migration 0009).
 */
export interface ReadinessSpansTable {
  assessmentId: ReadOnly<string>;
  memberId: ReadOnly<string>;
  category: ReadOnly<string>;
  partnerCode: ReadOnly<string>;
  region: ReadOnly<string>;
  type: ReadOnly<MemberType>;
  womenLed: ReadOnly<boolean>;
  joinedOn: ReadOnly<string>;
  withdrawnOn: ReadOnly<string | null>;
  assessedOn: ReadOnly<string>;
  until: ReadOnly<string | null>;
}
