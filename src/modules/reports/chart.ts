import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { type Language, shownLanguage, textIn } from '../../http/language.js';
import type { ReportKpi, ReportRow } from './report.js';
import { newXmlDocument } from './xml.js';

/** Geometry of the chart, in SVG user units (pixels when pasted at 100 %). */
const WIDTH = 800;
const HEIGHT = 440;
const PLOT = { left: 80, right: WIDTH - 24, top: 84, bottom: HEIGHT - 72 };
const COLOURS = { target: '#9aa5b1', actual: '#1f6feb', axis: '#444', grid: '#e3e6ea' };

/** The chart's own words in each language. */
const WORDS: Record<Language, { target: string; actual: string; period: string }> = {
  fr: { target: 'Cible', actual: 'Réalisé', period: 'Période' },
  en: { target: 'Target', actual: 'Actual', period: 'Period' },
  ar: { target: 'الهدف', actual: 'المنجز', period: 'الفترة' },
};

/**
 * The subtitle repeats the KPI's name in a second language, so that a reader of the other
 * working language recognises it: English under French, French under English or Arabic.
 * (An Arabic chart of a KPI without an Arabic name has a French title, so English below it.)
 */
const SECOND_LANGUAGE = { fr: 'en', en: 'fr', ar: 'fr' } as const satisfies Record<
  Language,
  Language
>;

const RIGHT_TO_LEFT: ReadonlySet<Language> = new Set(['ar']);

/**
 * Attributes of a text element written in `language`. Right to left, `direction="rtl"` makes
 * the text's start its right end, for the bidirectional ordering (an Arabic name followed by
 * `(CODE)`) and for `text-anchor` (`start` anchors the right end). Numbers, periods, units and
 * partner codes carry no language: they stay left to right, so `1 234` never reads `234 1`.
 */
const inLanguage = (language: Language) => ({
  'xml:lang': language,
  ...(RIGHT_TO_LEFT.has(language) && { direction: 'rtl' }),
});

const number = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
/** Numbers as a French report prints them, with ordinary spaces between thousands. */
const formatNumber = (value: number) => number.format(value).replace(/[\u202f\u00a0]/g, ' ');

/** A round step giving about five grid lines up to `max`. */
function niceStep(max: number): number {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10;
  return step * magnitude;
}

function text(
  parent: XMLBuilder,
  x: number,
  y: number,
  content: string,
  attrs: Record<string, string> = {},
) {
  parent.ele('text', { x: x.toFixed(1), y: y.toFixed(1), ...attrs }).txt(content);
}

/**
 * Target against actual per period as grouped bars, with title, axis labels, a legend and the
 * value printed above each bar, the words in `language` (a KPI without an Arabic name shows
 * its French one). Right to left, the texts and the legend are mirrored; the plot is not:
 * periods run left to right in every language, so the charts of a bilingual report match.
 * Text is escaped by the XML builder.
 */
export function kpiChartSvg(
  kpi: ReportKpi,
  rows: ReportRow[],
  partner: string | null,
  language: Language,
): string {
  const words = WORDS[language];
  const rightToLeft = RIGHT_TO_LEFT.has(language);
  const values = rows.flatMap((r) => [r.target ?? 0, r.actual ?? 0]);
  const step = niceStep(Math.max(1, ...values));
  const top = Math.ceil((Math.max(1, ...values) * 1.1) / step) * step;
  const y = (v: number) => PLOT.bottom - (v / top) * (PLOT.bottom - PLOT.top);

  const doc = newXmlDocument();
  const svg = doc.ele('svg', {
    xmlns: 'http://www.w3.org/2000/svg',
    width: String(WIDTH),
    height: String(HEIGHT),
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'font-family': 'Arial, Helvetica, sans-serif',
  });
  // Each text is marked with the language it is in, which for a name may be the French fallback.
  const titleLanguage = shownLanguage(kpi.name, language);
  const title = `${textIn(kpi.name, titleLanguage)} (${kpi.code})`;
  svg.ele('title', inLanguage(titleLanguage)).txt(title);
  svg.ele('rect', { width: String(WIDTH), height: String(HEIGHT), fill: '#ffffff' });
  text(svg, WIDTH / 2, 30, title, {
    ...inLanguage(titleLanguage),
    'text-anchor': 'middle',
    'font-size': '18',
    'font-weight': 'bold',
  });
  const second = SECOND_LANGUAGE[titleLanguage];
  // "programme" is the same word in French and English, the second languages.
  const subtitle = `${textIn(kpi.name, second)} — ${partner ?? 'programme'}`;
  text(svg, WIDTH / 2, 52, subtitle, {
    ...inLanguage(second),
    'text-anchor': 'middle',
    'font-size': '13',
    fill: '#555',
  });

  // Legend, top right: a square then its label in reading order (mirrored right to left).
  const legend = svg.ele('g', { 'font-size': '13' });
  [
    [words.target, COLOURS.target],
    [words.actual, COLOURS.actual],
  ].forEach(([label, colour], i) => {
    const x = rightToLeft ? PLOT.right - 14 - i * 90 : PLOT.right - 170 + i * 90;
    legend.ele('rect', {
      x: String(x),
      y: '62',
      width: '14',
      height: '14',
      fill: colour as string,
    });
    text(legend, rightToLeft ? x - 6 : x + 20, 74, label as string, {
      ...inLanguage(language),
      'text-anchor': 'start',
    });
  });

  // Grid lines and the value axis.
  const axis = svg.ele('g', { 'font-size': '12', fill: COLOURS.axis });
  for (let v = 0; v <= top + step / 2; v += step) {
    axis.ele('line', {
      x1: String(PLOT.left),
      x2: String(PLOT.right),
      y1: y(v).toFixed(1),
      y2: y(v).toFixed(1),
      stroke: v === 0 ? COLOURS.axis : COLOURS.grid,
    });
    text(axis, PLOT.left - 8, y(v) + 4, formatNumber(v), { 'text-anchor': 'end' });
  }
  text(axis, 20, (PLOT.top + PLOT.bottom) / 2, kpi.unit, {
    'text-anchor': 'middle',
    transform: `rotate(-90 20 ${((PLOT.top + PLOT.bottom) / 2).toFixed(1)})`,
    'font-size': '13',
  });
  text(axis, (PLOT.left + PLOT.right) / 2, HEIGHT - 20, words.period, {
    ...inLanguage(language),
    'text-anchor': 'middle',
    'font-size': '13',
  });

  // One group of two bars per period.
  const slot = (PLOT.right - PLOT.left) / Math.max(1, rows.length);
  const bar = Math.min(48, slot / 3);
  const bars = svg.ele('g', { 'font-size': '12' });
  rows.forEach((row, i) => {
    const centre = PLOT.left + slot * (i + 0.5);
    text(bars, centre, PLOT.bottom + 20, row.period, { 'text-anchor': 'middle' });
    (
      [
        [row.target, COLOURS.target, centre - bar - 2],
        [row.actual, COLOURS.actual, centre + 2],
      ] as const
    ).forEach(([value, colour, x]) => {
      if (value === null) return;
      bars.ele('rect', {
        x: x.toFixed(1),
        y: y(value).toFixed(1),
        width: bar.toFixed(1),
        height: (PLOT.bottom - y(value)).toFixed(1),
        fill: colour,
      });
      text(bars, x + bar / 2, y(value) - 5, formatNumber(value), { 'text-anchor': 'middle' });
    });
  });
  return doc.end({ prettyPrint: true });
}
