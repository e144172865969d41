import type { Disaggregation } from '../../db/tables/kpi-targets.js';
import type { Cumulation } from '../../db/tables/kpis.js';
import { addDays, type Period } from '../periods/period.js';

/** The days a KPI's figure for a period counts (kpis.md → How a KPI accumulates). */
export interface Window {
  /** First day of the flow: the period's first day, or the programme start when cumulative. */
  from: string;
  /** The period's last day: everything is counted as of this day. */
  end: string;
  /** The day before `from`: the "before" state of changes within the window. */
  before: string;
}

export function windowOf(period: Period, cumulation: Cumulation, programmeStart: string): Window {
  const from = cumulation === 'cumulative' ? programmeStart : period.start;
  return { from, end: period.end, before: addDays(from, -1) };
}

/** One figure of a KPI for a period: the total (`{}`) or one group of a breakdown. */
export interface GroupFigure {
  disaggregation: Disaggregation;
  actual: number | null;
}
