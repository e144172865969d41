import { stringify } from 'csv-stringify/sync';
import type { Report } from './report.js';
import { reportTable } from './table.js';

/**
 * The report as RFC 4180 CSV (comma, CRLF, quotes doubled) in UTF-8 with a byte-order mark, so
 * that Excel reads the French names right: one line per KPI × period × disaggregation. A text
 * cell starting like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'` (csv-stringify's
 * `escape_formulas`, the OWASP CSV-injection advice), so a spreadsheet shows it as text;
 * numbers stay numbers (a negative one is not escaped).
 */
export function reportCsv(report: Report): string {
  const { columns, records } = reportTable(report);
  const cells = records.map((record) => record.map((cell) => cell ?? ''));
  return stringify([columns, ...cells], {
    bom: true,
    record_delimiter: 'windows',
    escape_formulas: true,
  });
}
