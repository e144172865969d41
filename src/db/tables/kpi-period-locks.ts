import type { ColumnType } from 'kysely';

/**
 * Table `period_locks`: a closed reporting period, for one partner or (partnerCode null) all.
 * A write of a value whose period overlaps a locked period is refused.
 */
export interface PeriodLocksTable {
  id: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  partnerCode: string | null;
  createdBy: string | null;
  createdAt: ColumnType<string, never, never>;
  /** When the KPI figures of a lock for all partners were frozen (migration 0011); else null. */
  frozenAt: ColumnType<string | null, string | null | undefined, string | null>;
}
