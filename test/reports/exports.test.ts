import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { create } from 'xmlbuilder2';
import { startTestApp } from '../helpers/app.js';
import { buildScenario } from './scenario.js';

/**
 * The IATI 2.03 schemas are not in the repository (third-party files): IATI_SCHEMA_DIR names a
 * folder holding them (iati-activities-schema.xsd, iati-common.xsd, xml.xsd from the IATI
 * standard's version-2.03 release); .ci/run sets it where the machine has a copy.
 */
const SCHEMA = new URL(
  'iati-activities-schema.xsd',
  `file://${path.resolve(process.env.IATI_SCHEMA_DIR ?? 'missing-iati-schemas')}/`,
);
const run = promisify(execFile);

async function hasXmllint() {
  try {
    await run('xmllint', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** Every text node of an XML document, in document order. */
function textsOf(xml: string): string[] {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node === 'string') texts.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object')
      for (const [key, value] of Object.entries(node)) if (!key.startsWith('@')) walk(value);
  };
  walk(create(xml).end({ format: 'object' }));
  return texts;
}

/** The `text` and `title` elements of an SVG: text, language, direction and anchor. */
function textElementsOf(svg: string) {
  return create(svg)
    .root()
    .filter((node) => ['text', 'title'].includes(node.node.nodeName), true, true)
    .map((node) => {
      const element = node.node as unknown as {
        nodeName: string;
        textContent: string | null;
        getAttribute(name: string): string | null;
      };
      return {
        name: element.nodeName,
        text: element.textContent,
        lang: element.getAttribute('xml:lang'),
        direction: element.getAttribute('direction'),
        anchor: element.getAttribute('text-anchor'),
      };
    });
}

t.test('exports', async (t) => {
  const testApp = await startTestApp(t, {
    IATI_TITLE: 'Programme <Jahiz> & co',
  });
  const { api, keyFor } = testApp;
  await buildScenario(testApp);
  // A French name with a comma and quotes, as partners write them.
  const created = await api({
    method: 'POST',
    url: '/v1/kpis',
    body: {
      code: 'QUOTED',
      name: { fr: 'Chiffre d’affaires, dit "export" (été)', en: 'Sales, "export"' },
      resultLevel: 'impact',
      measure: 'percentage',
      unit: '%',
      ascending: true,
      source: 'reported',
      cumulation: 'period',
      dimensions: ['partner'],
      baseline: { year: 2023, value: 10 },
      endTarget: { year: 2027, value: 60 },
    },
  });
  t.equal(created.statusCode, 201, created.body);
  const targets = await api({
    method: 'PUT',
    url: '/v1/kpis/PEOPLE_TRAINED/targets',
    headers: { 'if-match': '*' },
    body: [
      { period: '2025', value: 20 },
      { period: '2025', disaggregation: { sex: 'F' }, value: 12 },
    ],
  });
  t.equal(targets.statusCode, 200, targets.body);

  t.test('CSV: BOM, RFC 4180 quoting, one line per row', async (t) => {
    const res = await api({
      method: 'GET',
      url: '/v1/reports/kpis.csv?period=2025&kpi=PEOPLE_TRAINED,QUOTED&by=sex',
    });
    t.equal(res.statusCode, 200, res.body);
    t.match(res.headers['content-type'], /^text\/csv; charset=utf-8/);
    t.match(res.headers['content-disposition'], /attachment; filename="kpis-2025.csv"/);
    const bytes = res.rawPayload;
    t.same([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    // The earlier columns in their places; the English and Arabic names last (the seeded
    // Arabic name; empty for a KPI without one).
    const names = 'People trained or made aware,الأشخاص المكوَّنون أو المستفيدون من التحسيس';
    t.same(lines, [
      'kpi,name_fr,period,sex,unit,baseline,target,actual,achievement,name_en,name_ar',
      `PEOPLE_TRAINED,Personnes formées ou sensibilisées,2025,,people,,20,11,55,${names}`,
      `PEOPLE_TRAINED,Personnes formées ou sensibilisées,2025,F,people,,12,6,50,${names}`,
      `PEOPLE_TRAINED,Personnes formées ou sensibilisées,2025,M,people,,,5,,${names}`,
      'QUOTED,"Chiffre d’affaires, dit ""export"" (été)",2025,,%,10,,,,"Sales, ""export""",',
      '',
    ]);
  });

  t.test('IATI 2.03 XML: identifier, escaping, measures, dimensions', async (t) => {
    const res = await api({
      method: 'GET',
      url: '/v1/reports/iati.xml?period=2024..2025&by=partner,sex',
    });
    t.equal(res.statusCode, 200, res.body);
    t.match(res.headers['content-type'], /^application\/xml/);
    const xml = res.body;
    t.match(xml, /<iati-identifier>XX-JAHIZ-EXPORT-READINESS<\/iati-identifier>/);
    t.match(xml, /<narrative>Programme &lt;Jahiz&gt; &amp; co<\/narrative>/);
    t.match(xml, /<indicator measure="2" ascending="1">/, 'percentage measure');
    t.match(xml, /<baseline year="2023" value="10"\/>/);
    t.match(
      xml,
      /<actual value="5">\s*<dimension name="partner" value="ASMEX"\/>\s*<dimension name="sex" value="F"\/>/,
    );
    t.match(xml, /<target value="60">\s*<comment>\s*<narrative>End-of-programme target/);
    t.match(
      xml,
      /<title>\s*<narrative>People trained or made aware<\/narrative>\s*<narrative xml:lang="fr">Personnes formées ou sensibilisées<\/narrative>\s*<narrative xml:lang="ar">الأشخاص المكوَّنون أو المستفيدون من التحسيس<\/narrative>\s*<\/title>/,
      'the seeded Arabic name as a third narrative',
    );
    t.match(
      xml,
      /<narrative xml:lang="fr">Chiffre d’affaires, dit "export" \(été\)<\/narrative>\s*<\/title>/,
      'no Arabic narrative for a KPI without an Arabic name',
    );
  });

  const cannotValidate = !existsSync(SCHEMA)
    ? `no IATI schema at ${SCHEMA.pathname} (set IATI_SCHEMA_DIR)`
    : !(await hasXmllint())
      ? 'xmllint is not installed (apt-get install -y libxml2-utils)'
      : false;
  t.test(
    'IATI XML passes xmllint --schema iati-activities-schema.xsd',
    { skip: cannotValidate },
    async (t) => {
      const res = await api({
        method: 'GET',
        url: '/v1/reports/iati.xml?period=2024..2025&by=partner,sex',
      });
      const dir = await mkdtemp(path.join(tmpdir(), 'jahiz-iati-'));
      t.teardown(() => rm(dir, { recursive: true, force: true }));
      const file = path.join(dir, 'activity.xml');
      await writeFile(file, res.body);
      const { stderr } = await run('xmllint', [
        '--nonet',
        '--noout',
        '--schema',
        SCHEMA.pathname,
        file,
      ]).catch((error: { stderr: string }) => ({ stderr: error.stderr }));
      t.match(stderr, /activity\.xml validates/, stderr);
    },
  );

  t.test('SVG chart: valid XML, labelled, shows the numbers', async (t) => {
    const res = await api({
      method: 'GET',
      url: '/v1/reports/kpis/PEOPLE_TRAINED/chart.svg?period=2024..2025',
    });
    t.equal(res.statusCode, 200, res.body);
    t.match(res.headers['content-type'], /^image\/svg\+xml/);
    const texts = textsOf(res.body);
    t.ok(texts.includes('Personnes formées ou sensibilisées (PEOPLE_TRAINED)'), 'title');
    for (const label of ['Cible', 'Réalisé', 'Période', 'people', '2024', '2025', '20', '11', '0'])
      t.ok(texts.includes(label), `shows ${label}`);
    const fenip = await keyFor('partner', 'FENIP');
    const own = await api({
      method: 'GET',
      url: '/v1/reports/kpis/PEOPLE_TRAINED/chart.svg?period=2025',
      key: fenip,
    });
    t.equal(own.statusCode, 200);
    t.ok(textsOf(own.body).includes('5'), "FENIP's own figure");
    t.match(own.body, /— FENIP/);
    const missing = await api({
      method: 'GET',
      url: '/v1/reports/kpis/NOPE/chart.svg?period=2025',
    });
    t.equal(missing.statusCode, 404);
  });

  t.test('SVG chart in Arabic: the Arabic words, right to left', async (t) => {
    const arabicTitle = 'الأشخاص المكوَّنون أو المستفيدون من التحسيس (PEOPLE_TRAINED)';
    const chart = (query: string, headers: Record<string, string> = {}) =>
      api({
        method: 'GET',
        url: `/v1/reports/kpis/PEOPLE_TRAINED/chart.svg?period=2024..2025${query}`,
        headers,
      });
    const byQuery = await chart('&lang=ar');
    t.equal(byQuery.statusCode, 200, byQuery.body);
    t.equal(byQuery.headers.vary, 'Origin', 'the URL alone chooses the language');
    const texts = textElementsOf(byQuery.body);
    const rtl = { lang: 'ar', direction: 'rtl' };
    t.match(texts, [{ name: 'title', text: arabicTitle, ...rtl }], 'accessible name');
    t.match(
      texts.filter((e) => e.lang === 'ar').map((e) => e.text),
      [arabicTitle, arabicTitle, 'الهدف', 'المنجز', 'الفترة'],
      'title, legend and axis in Arabic',
    );
    t.ok(
      texts.filter((e) => e.lang === 'ar').every((e) => e.direction === 'rtl'),
      'every Arabic text is right to left',
    );
    t.match(
      texts.filter((e) => e.text === 'الهدف' || e.text === 'المنجز'),
      [{ anchor: 'start' }, { anchor: 'start' }],
      'legend labels start at their right end, beside the square',
    );
    t.match(
      texts.find((e) => e.text === 'Personnes formées ou sensibilisées — programme'),
      { lang: 'fr', direction: null },
      'subtitle: the French name, left to right',
    );
    t.ok(
      texts.filter((e) => /^[\d ,]+$|^2025$/.test(e.text ?? '')).every((e) => e.lang === null),
      'numbers and periods carry no language: they stay left to right',
    );

    const byHeader = await chart('', { 'accept-language': 'ar-MA, fr;q=0.8' });
    t.equal(byHeader.body, byQuery.body, 'Accept-Language: ar gives the same chart');
    t.equal(byHeader.headers.vary, 'Origin, Accept-Language', 'caches are told, CORS’s Vary kept');
    const langWins = await chart('&lang=en', { 'accept-language': 'ar' });
    t.match(textElementsOf(langWins.body), [
      { name: 'title', text: 'People trained or made aware (PEOPLE_TRAINED)', lang: 'en' },
    ]);
    t.notMatch(langWins.body, /direction=/, 'English is left to right');
    const french = await chart('');
    t.match(textElementsOf(french.body), [
      { text: 'Personnes formées ou sensibilisées (PEOPLE_TRAINED)', lang: 'fr' },
    ]);

    // A KPI without an Arabic name: its French name, marked French and left to right, the
    // English one below it; the chart's own words stay Arabic.
    const quoted = await api({
      method: 'GET',
      url: '/v1/reports/kpis/QUOTED/chart.svg?period=2025&lang=ar',
    });
    t.equal(quoted.statusCode, 200, quoted.body);
    const quotedTexts = textElementsOf(quoted.body);
    const frenchTitle = 'Chiffre d’affaires, dit "export" (été) (QUOTED)';
    t.match(quotedTexts, [{ name: 'title', text: frenchTitle, lang: 'fr', direction: null }]);
    t.ok(quotedTexts.some((e) => e.text === 'Sales, "export" — programme' && e.lang === 'en'));
    t.ok(quotedTexts.some((e) => e.text === 'الفترة' && e.direction === 'rtl'));
    const unknown = await chart('&lang=de');
    t.equal(unknown.statusCode, 400, 'lang is fr, en or ar');
  });

  t.test('roles on exports', async (t) => {
    const reporting = await keyFor('reporting');
    for (const url of ['/v1/reports/kpis.csv?period=2025', '/v1/reports/iati.xml?period=2025']) {
      const res = await api({ method: 'GET', url, key: reporting });
      t.equal(res.statusCode, 200, url);
    }
    const none = await api({ method: 'GET', url: '/v1/reports/kpis.csv?period=2025', key: null });
    t.equal(none.statusCode, 401);
  });
});
