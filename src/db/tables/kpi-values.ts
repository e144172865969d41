import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Disaggregation } from './kpi-targets.js';

/**
 * A value a partner reported for a reported KPI, a period and a disaggregation (`{}` for the
 * partner's total). Unique by (kpi, period, partner, disaggregation). For percentages given as a
 * fraction, `value` = numerator / denominator × 100 and both parts are kept, so that totals are
 * Σ numerators / Σ denominators; a percentage given directly has null parts.
 */
export interface KpiValuesTable {
  id: string;
  kpiCode: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  partnerCode: string;
  disaggregation: JSONColumnType<Disaggregation, string, string>;
  value: number;
  numerator: number | null;
  denominator: number | null;
  comment: string | null;
  evidenceUrl: string | null;
  version: Generated<number>;
  createdBy: string | null;
  updatedBy: string | null;
  createdAt: ColumnType<string, never, never>;
  updatedAt: ColumnType<string, never, string>;
}
