import type { ColumnType } from 'kysely';
import type { MemberType } from './members.js';

type ReadOnly<T> = ColumnType<T, never, never>;

/**
 * Changes of the computed KPIs by month and group, appended by triggers (migrations 0021 and
 * 0022; READINESS_UP's rows are keyed `READINESS_UP/<period kind>` at the period's first month):
 * a figure is the sum of its rows (a flow's over its period's months, a state's up to its last
 * month). Several rows may share a key until the compaction merges them.
 */
export interface KpiChangesTable {
  kpi: ReadOnly<string>;
  /** The first day of the month. */
  month: ReadOnly<string>;
  partnerCode: ReadOnly<string>;
  region: ReadOnly<string>;
  memberType: ReadOnly<MemberType>;
  womenLed: ReadOnly<boolean>;
  mode: ReadOnly<string | null>;
  sex: ReadOnly<'F' | 'M' | null>;
  /** What the rows add to the figure. */
  n: ReadOnly<string>;
  /** How many counted things they add (flows): a group with things worth 0 is still shown. */
  facts: ReadOnly<string>;
}
