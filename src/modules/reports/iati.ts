import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Disaggregation } from '../../db/tables/kpi-targets.js';
import type { Multilingual } from '../../http/schemas/multilingual.js';
import type { Report, ReportKpi, ReportRow } from './report.js';
import { newXmlDocument } from './xml.js';

/** Who publishes and what the activity is called (environment variables IATI_*). */
export interface IatiSettings {
  activityId: string;
  reportingOrgRef: string;
  reportingOrgName: string;
  title: string;
  programmeStart: string;
}

/** IATI codelists: IndicatorMeasure (1 unit, 2 percentage, 5 qualitative), ResultType. */
const MEASURE = { unit: '1', percentage: '2', qualitative: '5' } as const;
const RESULT_TYPE = { output: '1', outcome: '2', impact: '3' } as const;

/** A text as narratives: English (the activity's default language), French, Arabic if any. */
function narratives(parent: XMLBuilder, name: string, text: Multilingual) {
  const element = parent.ele(name);
  element.ele('narrative').txt(text.en);
  element.ele('narrative', { 'xml:lang': 'fr' }).txt(text.fr);
  if (text.ar !== undefined) element.ele('narrative', { 'xml:lang': 'ar' }).txt(text.ar);
  return element;
}

function dimensions(parent: XMLBuilder, disaggregation: Disaggregation) {
  for (const [name, value] of Object.entries(disaggregation))
    parent.ele('dimension', { name, value: String(value) });
}

function periodElement(indicator: XMLBuilder, start: string, end: string, rows: ReportRow[]) {
  const period = indicator.ele('period');
  period.ele('period-start', { 'iso-date': start });
  period.ele('period-end', { 'iso-date': end });
  for (const row of rows.filter((r) => r.target !== null))
    dimensions(period.ele('target', { value: String(row.target) }), row.disaggregation);
  for (const row of rows.filter((r) => r.actual !== null))
    dimensions(period.ele('actual', { value: String(row.actual) }), row.disaggregation);
}

function resultElement(
  activity: XMLBuilder,
  kpi: ReportKpi,
  report: Report,
  settings: IatiSettings,
) {
  const result = activity.ele('result', { type: RESULT_TYPE[kpi.resultLevel] });
  narratives(result, 'title', kpi.name);
  const indicator = result.ele('indicator', {
    measure: MEASURE[kpi.measure],
    ascending: kpi.ascending ? '1' : '0',
  });
  narratives(indicator, 'title', kpi.name);
  if (kpi.description) narratives(indicator, 'description', kpi.description);
  indicator.ele('reference', { vocabulary: '99', code: kpi.code });
  if (kpi.baseline) {
    indicator.ele('baseline', {
      year: String(kpi.baseline.year),
      value: String(kpi.baseline.value),
    });
  }
  for (const p of report.periods) {
    const rows = report.rows.filter((r) => r.kpi === kpi.code && r.period === p.period);
    periodElement(indicator, p.start, p.end, rows);
  }
  // The end-of-programme target, on its own: a period from the programme start to its year's end.
  if (kpi.endTarget) {
    const period = indicator.ele('period');
    period.ele('period-start', { 'iso-date': settings.programmeStart });
    period.ele('period-end', { 'iso-date': `${kpi.endTarget.year}-12-31` });
    const target = period.ele('target', { value: String(kpi.endTarget.value) });
    target.ele('comment').ele('narrative').txt('End-of-programme target');
  }
}

/** The programme as one IATI 2.03 activity with a result per KPI (valid against the schema). */
export function iatiXml(
  report: Report,
  partners: { code: string; name: string }[],
  settings: IatiSettings,
  now: Date,
) {
  const generated = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const doc = newXmlDocument();
  const activity = doc
    .ele('iati-activities', { version: '2.03', 'generated-datetime': generated })
    .ele('iati-activity', { 'xml:lang': 'en', 'last-updated-datetime': generated });
  activity.ele('iati-identifier').txt(settings.activityId);
  activity
    .ele('reporting-org', { ref: settings.reportingOrgRef, type: '21' })
    .ele('narrative')
    .txt(settings.reportingOrgName);
  activity.ele('title').ele('narrative').txt(settings.title);
  activity
    .ele('description', { type: '1' })
    .ele('narrative')
    .txt(`${settings.title}: programme results by KPI (jahiz).`);
  // Role 4: implementing. Partners are named; they have no IATI organisation identifier here.
  for (const partner of partners)
    activity.ele('participating-org', { role: '4' }).ele('narrative').txt(partner.name);
  activity.ele('activity-status', { code: '2' });
  activity.ele('activity-date', { type: '2', 'iso-date': settings.programmeStart });
  activity.ele('recipient-country', { code: 'MA', percentage: '100' });
  for (const kpi of report.kpis) resultElement(activity, kpi, report, settings);
  return doc.end({ prettyPrint: true });
}
