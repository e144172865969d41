import type { JSONColumnType } from 'kysely';
import type { Disaggregation } from './kpi-targets.js';

/**
 * Table `kpi_frozen_figures`: a KPI's figure for a period and group as it stood when a period
 * was locked for all partners (docs/kpis.md → Locked periods). Deleted with its lock.
 */
export interface KpiFrozenFiguresTable {
  lockId: string;
  kpiCode: string;
  period: string;
  /** The disaggregation's keys, sorted, comma-separated ('' for the total). */
  dimensions: string;
  disaggregation: JSONColumnType<Disaggregation, string, string>;
  actual: number | null;
}
