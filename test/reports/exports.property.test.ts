import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import t from 'tap';
import { LANGUAGES } from '../../src/http/language.js';
import type { Multilingual } from '../../src/http/schemas/multilingual.js';
import { kpiChartSvg } from '../../src/modules/reports/chart.js';
import { reportCsv } from '../../src/modules/reports/csv.js';
import { iatiXml } from '../../src/modules/reports/iati.js';
import type { Report, ReportKpi } from '../../src/modules/reports/report.js';
import { startTestApp } from '../helpers/app.js';

/** Parses with a strict, well-formedness-checking parser; throws on the first error. */
function parseXml(xml: string): string[] {
  const texts: string[] = [];
  const parser = new SaxesParser();
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('text', (text) => texts.push(text));
  parser.write(xml).close();
  return texts;
}

const kpi = (name: Multilingual, unit: string): ReportKpi => ({
  code: 'RANDOM',
  name,
  description: { fr: name.en, en: name.fr, ...(name.ar !== undefined && { ar: name.ar }) },
  resultLevel: 'output',
  measure: 'unit',
  unit,
  ascending: true,
  source: 'reported',
  cumulation: 'period',
  dimensions: [],
  baseline: { year: 2023, value: -5 },
  endTarget: { year: 2027, value: 1e15 },
  builtIn: false,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  by: [],
});

const reportOf = (k: ReportKpi, actual: number): Report => ({
  periods: [
    { period: '2025', start: '2025-01-01', end: '2025-12-31', locked: false, frozenAt: null },
  ],
  by: [],
  partner: null,
  kpis: [k],
  rows: [
    {
      kpi: k.code,
      period: '2025',
      disaggregation: {},
      baseline: -5,
      target: 10,
      actual,
      achievement: null,
    },
  ],
});

const SETTINGS = {
  activityId: 'XX-1',
  reportingOrgRef: 'XX',
  reportingOrgName: 'ASMEX',
  title: 'T',
  programmeStart: '2023-01-01',
};

// Any UTF-16 code units: control characters, lone surrogates, markup, astral characters.
const anyText = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });

t.test('IATI XML and SVG are well-formed whatever the names, in every language', async (t) => {
  fc.assert(
    fc.property(
      anyText,
      anyText,
      fc.option(anyText, { nil: undefined }),
      anyText,
      fc.double({ min: -1e15, max: 1e15, noNaN: true }),
      fc.constantFrom(...LANGUAGES),
      (fr, en, ar, unit, actual, language) => {
        const k = kpi({ fr, en, ...(ar !== undefined && { ar }) }, unit);
        parseXml(iatiXml(reportOf(k, actual), [{ code: 'P', name: en }], SETTINGS, new Date()));
        const svg = kpiChartSvg(k, reportOf(k, actual).rows, fr, language);
        const texts = parseXml(svg);
        // Right to left exactly when the title is Arabic text (an Arabic name was given).
        const rightToLeft = language === 'ar' && ar !== undefined;
        if (svg.includes('<title xml:lang="ar" direction="rtl">') !== rightToLeft)
          throw new Error(
            `title direction for ${language}, ar ${ar === undefined ? 'absent' : 'given'}`,
          );
        if (texts.length === 0) throw new Error('no text');
      },
    ),
    { numRuns: 300 },
  );
  t.pass('300 random IATI files and charts parsed (fr, en and ar)');
});

t.test('the builders keep what XML allows and replace the rest', async (t) => {
  const k = kpi({ fr: 'Ventes <été> & "co"\u0007', en: 'Sales\u0000\uD800' }, 'MAD');
  const texts = parseXml(iatiXml(reportOf(k, 3), [], SETTINGS, new Date())).join('|');
  t.match(texts, 'Ventes <été> & "co"\uFFFD');
  t.match(texts, 'Sales\uFFFD\uFFFD');
});

t.test('CSV: formula-leading text cells are escaped, numbers are not', async (t) => {
  const cases = ['=HYPERLINK("http://x","y")', '+1', '-x', '@SUM(A1)', '\tx', '\rx'];
  for (const name of cases) {
    const csv = reportCsv(reportOf(kpi({ fr: name, en: name, ar: name }, name), -4));
    const line = csv.split('\r\n')[1] ?? '';
    t.equal(
      line.split(`'${name.slice(0, 1)}`).length,
      5,
      'the three names and the unit prefixed with a quote',
    );
    t.match(line, /,-5,10,-4,/, 'numbers stay numbers');
  }
});

t.test('stored names with control characters: exports stay valid', async (t) => {
  const { api, database } = await startTestApp(t);
  await database.pool.query(
    `update kpis set name = jsonb_build_object('fr', E'Membres\\u0001 <actifs>', 'en', E'=cmd|\\u001f') where code = 'MEMBERS_ACTIVE'`,
  );
  const iati = await api({ method: 'GET', url: '/v1/reports/iati.xml?period=2025' });
  t.equal(iati.statusCode, 200);
  t.doesNotThrow(() => parseXml(iati.body));
  const svg = await api({
    method: 'GET',
    url: '/v1/reports/kpis/MEMBERS_ACTIVE/chart.svg?period=2025',
  });
  t.equal(svg.statusCode, 200);
  t.doesNotThrow(() => parseXml(svg.body));
  const csv = await api({ method: 'GET', url: '/v1/reports/kpis.csv?period=2025' });
  t.notMatch(csv.body, /,=cmd/);
});
