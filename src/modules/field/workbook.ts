import writeXlsxFile, { type SheetData } from 'write-excel-file/node';
import {
  CHOICES_COLUMNS,
  type Row,
  SETTINGS_COLUMNS,
  SURVEY_COLUMNS,
  type XlsForm,
} from './xlsform.js';

/** A header row of column names, then one row per entry; empty cells stay empty. */
function sheet(columns: string[], rows: Row[]): SheetData {
  return [columns, ...rows.map((row) => columns.map((column) => row[column] || null))];
}

/** The XLSForm as an `.xlsx` workbook, every cell a text cell. */
export function xlsFormWorkbook(form: XlsForm): Promise<Buffer> {
  return writeXlsxFile([
    { sheet: 'survey', data: sheet(SURVEY_COLUMNS, form.survey), stickyRowsCount: 1 },
    { sheet: 'choices', data: sheet(CHOICES_COLUMNS, form.choices), stickyRowsCount: 1 },
    { sheet: 'settings', data: sheet(SETTINGS_COLUMNS, form.settings) },
  ]).toBuffer();
}
