import type { Dimension } from '../../db/tables/kpis.js';
import type { Report } from './report.js';

/** A cell of the report's table: a number stays a number, text is text, null is empty. */
export type TableCell = number | string | null;

/** The dimension columns of a report: those asked for, and the partner when filtered by one. */
function dimensionColumns(report: Report): Dimension[] {
  const columns = new Set<Dimension>(report.partner === null ? [] : ['partner']);
  for (const kpi of report.kpis) for (const d of kpi.by) columns.add(d);
  return [...columns];
}

const text = (value: string | boolean | undefined) => (value === undefined ? null : String(value));

/**
 * The report as a table, one line per KPI × period × disaggregation: the KPI code and French
 * name, the period, a column per dimension, unit, baseline, target, actual, achievement, then
 * the English and Arabic names. The CSV and the XLSX exports write the same table.
 * `name_en` and `name_ar` were added after partners had coded against the first columns: they
 * come last, so every earlier column keeps its name and place. A KPI without an Arabic name
 * has an empty `name_ar` (a French text there would pass for a translation).
 */
export function reportTable(report: Report): { columns: string[]; records: TableCell[][] } {
  const dims = dimensionColumns(report);
  const kpis = new Map(report.kpis.map((k) => [k.code, k]));
  const columns = [
    'kpi',
    'name_fr',
    'period',
    ...dims,
    'unit',
    'baseline',
    'target',
    'actual',
    'achievement',
    'name_en',
    'name_ar',
  ];
  const records = report.rows.map((row) => {
    const kpi = kpis.get(row.kpi);
    return [
      row.kpi,
      kpi?.name.fr ?? null,
      row.period,
      ...dims.map((d) => text(row.disaggregation[d])),
      kpi?.unit ?? null,
      row.baseline,
      row.target,
      row.actual,
      row.achievement,
      kpi?.name.en ?? null,
      kpi?.name.ar ?? null,
    ];
  });
  return { columns, records };
}
