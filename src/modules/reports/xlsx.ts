import writeXlsxFile, { type Cell, type SheetData } from 'write-excel-file/node';
import type { Report, ReportKpi } from './report.js';
import { reportTable, type TableCell } from './table.js';
import { xmlSafe } from './xml.js';

const header = (columns: string[]): Cell[] =>
  columns.map((value) => ({ value, fontWeight: 'bold' as const }));

/** Numbers as numeric cells (Excel sums them), text as text cells, null as an empty cell. */
const cellOf = (value: TableCell | boolean | undefined): Cell => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return { value, type: Number };
  return { value: xmlSafe(String(value)), type: String };
};

const DEFINITION_COLUMNS = [
  'kpi',
  'name_fr',
  'name_en',
  'description_fr',
  'description_en',
  'result_level',
  'measure',
  'unit',
  'ascending',
  'source',
  'cumulation',
  'dimensions',
  'baseline_year',
  'baseline',
  'end_target_year',
  'end_target',
  // Added with Arabic: last, so that the earlier columns keep their places (see table.ts).
  'name_ar',
  'description_ar',
];

function definitionRow(kpi: ReportKpi): Cell[] {
  return [
    kpi.code,
    kpi.name.fr,
    kpi.name.en,
    kpi.description?.fr ?? null,
    kpi.description?.en ?? null,
    kpi.resultLevel,
    kpi.measure,
    kpi.unit,
    kpi.ascending ? 'true' : 'false',
    kpi.source,
    kpi.cumulation,
    kpi.dimensions.join(', '),
    kpi.baseline?.year ?? null,
    kpi.baseline?.value ?? null,
    kpi.endTarget?.year ?? null,
    kpi.endTarget?.value ?? null,
    kpi.name.ar ?? null,
    kpi.description?.ar ?? null,
  ].map(cellOf);
}

/**
 * The report as an Excel workbook: sheet `report` holds the CSV's table (a header row, then
 * typed cells), sheet `definitions` what each KPI of the report counts.
 */
export function reportXlsx(report: Report): Promise<Buffer> {
  const { columns, records } = reportTable(report);
  const rows: SheetData = [header(columns), ...records.map((record) => record.map(cellOf))];
  const definitions: SheetData = [header(DEFINITION_COLUMNS), ...report.kpis.map(definitionRow)];
  return writeXlsxFile([
    { sheet: 'report', data: rows, stickyRowsCount: 1 },
    { sheet: 'definitions', data: definitions, stickyRowsCount: 1 },
  ]).toBuffer();
}
