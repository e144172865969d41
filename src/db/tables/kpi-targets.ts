import type { ColumnType, JSONColumnType } from 'kysely';

/** Dimension → value, e.g. `{ "partner": "FENIP" }`; `{}` is the total. */
export type Disaggregation = Record<string, string | boolean>;

/** One target of a KPI for a period and a disaggregation (`{}` for the total). */
export interface KpiTargetsTable {
  id: string;
  kpiCode: string;
  /** `YYYY`, `YYYYQn` or `YYYY-MM`, with its first and last day. */
  period: string;
  periodStart: string;
  periodEnd: string;
  disaggregation: JSONColumnType<Disaggregation, string, string>;
  value: number;
  createdAt: ColumnType<string, never, never>;
}
