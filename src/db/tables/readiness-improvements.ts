import type { ColumnType } from 'kysely';
import type { MemberType } from './members.js';

type ReadOnly<T> = ColumnType<T, never, never>;

/**
 * The months, quarters and years in which a member counts for READINESS_UP (active at the
 * period's end, its category then better than the day before the period), with its dimensions:
 * kept from its readiness spans by a trigger (migration 0022), summed into kpi_changes.
 */
export interface ReadinessImprovementsTable {
  memberId: ReadOnly<string>;
  kind: ReadOnly<'month' | 'quarter' | 'year'>;
  /** The period's first day. */
  periodStart: ReadOnly<string>;
  partnerCode: ReadOnly<string>;
  region: ReadOnly<string>;
  type: ReadOnly<MemberType>;
  womenLed: ReadOnly<boolean>;
}
