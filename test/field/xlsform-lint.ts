/**
 * Reads an XLSForm workbook with ExcelJS (not the library that wrote it) and lists the problems
 * for which pyxform — the converter behind KoboToolbox and ODK Central — would reject it, plus
 * the name rule of docs/field-collection.md. Structural only: pyxform itself does not run here.
 */
import ExcelJS from 'exceljs';

export type Sheet = Record<string, string>[];
export interface ReadForm {
  sheets: string[];
  headers: Record<string, string[]>;
  survey: Sheet;
  choices: Sheet;
  settings: Sheet;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'richText' in value) {
    return value.richText.map((r) => r.text).join('');
  }
  return String(value);
}

export async function readWorkbook(buffer: Buffer): Promise<ReadForm> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const headers: Record<string, string[]> = {};
  const rowsOf = (name: string): Sheet => {
    const sheet = workbook.getWorksheet(name);
    if (sheet === undefined) return [];
    const header: string[] = [];
    sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
      header[col - 1] = cellText(cell.value);
    });
    headers[name] = header;
    const rows: Sheet = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const entry: Record<string, string> = {};
      header.forEach((column, i) => {
        const text = cellText(row.getCell(i + 1).value);
        if (text !== '') entry[column] = text;
      });
      rows.push(entry);
    });
    return rows;
  };
  return {
    sheets: workbook.worksheets.map((w) => w.name),
    headers,
    survey: rowsOf('survey'),
    choices: rowsOf('choices'),
    settings: rowsOf('settings'),
  };
}

const NAME = /^[a-z][a-z0-9_]*$/;
/** An XML NCName, as pyxform requires of names and list names. */
const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const TRANSLATED = /^(label|hint|constraint_message)::(.+) \(([a-z]{2,3})\)$/;
const SURVEY_PLAIN = new Set([
  'type',
  'name',
  'required',
  'relevant',
  'constraint',
  'default',
  'appearance',
  'calculation',
]);
const PLAIN_TYPES = new Set(['text', 'integer', 'decimal', 'date', 'note', 'calculate']);

/** The `${name}` references of an expression. */
const references = (expression: string) =>
  [...expression.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1] as string);

/** Parentheses and quotes balance: pyxform's XPath parser rejects the form otherwise. */
function balanced(expression: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (const ch of expression) {
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0 && quote === null;
}

export function lintForm(form: ReadForm): string[] {
  const problems: string[] = [];
  const report = (message: string) => problems.push(message);
  for (const sheet of ['survey', 'choices', 'settings']) {
    if (!form.sheets.includes(sheet)) report(`sheet "${sheet}" is missing`);
  }
  const languages = new Set<string>();
  for (const [sheet, header] of Object.entries(form.headers)) {
    const seen = new Set<string>();
    for (const column of header) {
      if (seen.has(column)) report(`${sheet}: column "${column}" twice`);
      seen.add(column);
      const translated = TRANSLATED.exec(column);
      if (translated) languages.add(`${translated[2]} (${translated[3]})`);
      else if (sheet === 'survey' && !SURVEY_PLAIN.has(column))
        report(`survey: unknown column "${column}"`);
      else if (sheet === 'choices' && !['list_name', 'name'].includes(column))
        report(`choices: unknown column "${column}"`);
    }
  }
  if (!form.headers.survey?.includes('type') || !form.headers.survey?.includes('name'))
    report('survey: columns "type" and "name" are required');
  const labelColumns = [...languages].map((l) => `label::${l}`);

  // Choices: list names, choice names, uniqueness within a list, a label in every language.
  const lists = new Map<string, Set<string>>();
  form.choices.forEach((row, i) => {
    const at = `choices row ${i + 2}`;
    const list = row.list_name ?? '';
    const name = row.name ?? '';
    if (!XML_NAME.test(list) || !NAME.test(list))
      report(`${at}: list_name "${list}" is not a valid name`);
    if (name === '' || /\s/.test(name))
      report(`${at}: choice name "${name}" is empty or has spaces`);
    const names = lists.get(list) ?? new Set<string>();
    if (names.has(name)) report(`${at}: choice "${name}" twice in list "${list}"`);
    names.add(name);
    lists.set(list, names);
    for (const column of labelColumns) if (!row[column]) report(`${at}: no ${column}`);
  });

  // Survey: types, names (unique, name rule), lists exist, groups balanced, labels.
  const names = new Map<string, string>();
  const listOf = new Map<string, string>();
  const open: string[] = [];
  form.survey.forEach((row, i) => {
    const at = `survey row ${i + 2}`;
    const type = row.type ?? '';
    const name = row.name ?? '';
    if (type === 'end_group' || type === 'end group') {
      if (open.pop() === undefined) report(`${at}: end_group without begin_group`);
      return;
    }
    const select = /^select_(one|multiple) (\S+)$/.exec(type);
    if (select) {
      const list = select[2] as string;
      if (!lists.has(list)) report(`${at}: list "${list}" of ${type} is not in choices`);
      listOf.set(name, list);
    } else if (type === 'begin_group' || type === 'begin group') open.push(name);
    else if (!PLAIN_TYPES.has(type)) report(`${at}: unknown type "${type}"`);
    if (!XML_NAME.test(name) || !NAME.test(name))
      report(`${at}: name "${name}" breaks the name rule`);
    const key = name.toLowerCase();
    if (names.has(key)) report(`${at}: name "${name}" used already at ${names.get(key)}`);
    names.set(key, at);
    for (const column of labelColumns) if (!row[column]) report(`${at}: no ${column}`);
    if (row.required !== undefined && !['yes', 'true', 'no', 'false'].includes(row.required))
      report(`${at}: required "${row.required}"`);
  });
  if (open.length > 0) report(`groups left open: ${open.join(', ')}`);

  // Expressions: balanced, referring to existing questions, never to themselves in
  // relevant; choice values compared or selected must exist in the question's list.
  const checkExpression = (at: string, column: string, expression: string, self?: string) => {
    if (!balanced(expression)) report(`${at}: ${column} "${expression}" is unbalanced`);
    for (const target of references(expression)) {
      if (!names.has(target.toLowerCase()))
        report(`${at}: ${column} refers to unknown \${${target}}`);
      if (column === 'relevant' && target === self) report(`${at}: relevant refers to itself`);
    }
    const compared = [
      ...expression.matchAll(/\$\{([^}]+)\} !?= '([^']*)'/g),
      ...expression.matchAll(/selected\(\$\{([^}]+)\}, '([^']*)'\)/g),
    ];
    for (const [, target, value] of compared) {
      const list = listOf.get(target as string);
      if (list === undefined)
        report(`${at}: ${column} compares \${${target}}, which has no choices`);
      else if (!lists.get(list)?.has(value as string))
        report(`${at}: ${column} compares \${${target}} with "${value}", not a choice of ${list}`);
    }
  };
  form.survey.forEach((row, i) => {
    for (const column of ['relevant', 'constraint', 'default', 'calculation']) {
      if (row[column]) checkExpression(`survey row ${i + 2}`, column, row[column], row.name);
    }
    if (row.constraint && !/(^|[^.])\.([^.]|$)/.test(row.constraint))
      report(`survey row ${i + 2}: constraint does not use "."`);
  });

  // Settings: one row; form_id an XML name; version; default language among the columns.
  const settings = form.settings[0];
  if (form.settings.length !== 1 || settings === undefined) report('settings: exactly one row');
  else {
    if (!XML_NAME.test(settings.form_id ?? '')) report(`settings: form_id "${settings.form_id}"`);
    if (!settings.version) report('settings: no version');
    if (!languages.has(settings.default_language ?? ''))
      report(`settings: default_language "${settings.default_language}" has no columns`);
    if (settings.instance_name)
      checkExpression('settings', 'instance_name', settings.instance_name);
  }
  return problems;
}
