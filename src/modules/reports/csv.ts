import { stringify } from 'csv-stringify/sync';
import type { Dimension } from '../../db/tables/kpis.js';
import type { Report } from './report.js';

/** The dimension columns of a report: those asked for, and the partner when filtered by one. */
function dimensionColumns(report: Report): Dimension[] {
  const columns = new Set<Dimension>(report.partner === null ? [] : ['partner']);
  for (const kpi of report.kpis) for (const d of kpi.by) columns.add(d);
  return [...columns];
}

/** Numbers stay numbers (a negative one is not escaped as a formula); the rest is text. */
const cell = (value: number | string | boolean | null | undefined) =>
  value === null || value === undefined ? '' : typeof value === 'number' ? value : String(value);

/**
 * The report as RFC 4180 CSV (comma, CRLF, quotes doubled) in UTF-8 with a byte-order mark, so
 * that Excel reads the French names right: one line per KPI × period × disaggregation. A text
 * cell starting like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'` (csv-stringify's
 * `escape_formulas`, the OWASP CSV-injection advice), so a spreadsheet shows it as text.
 */
export function reportCsv(report: Report): string {
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
  ];
  const records = report.rows.map((row) => {
    const kpi = kpis.get(row.kpi);
    return [
      row.kpi,
      kpi?.name.fr ?? '',
      row.period,
      ...dims.map((d) => cell(row.disaggregation[d])),
      kpi?.unit ?? '',
      cell(row.baseline),
      cell(row.target),
      cell(row.actual),
      cell(row.achievement),
    ];
  });
  return stringify([columns, ...records], {
    bom: true,
    record_delimiter: 'windows',
    escape_formulas: true,
  });
}
