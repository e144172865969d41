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

t.test('exports', async (t) => {
  const testApp = await startTestApp(t, {
    MAX_EVENT_LOOP_DELAY_MS: '0',
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
    t.same(lines, [
      'kpi,name_fr,period,sex,unit,baseline,target,actual,achievement',
      'PEOPLE_TRAINED,Personnes formées ou sensibilisées,2025,,people,,20,11,55',
      'PEOPLE_TRAINED,Personnes formées ou sensibilisées,2025,F,people,,12,6,50',
      'PEOPLE_TRAINED,Personnes formées ou sensibilisées,2025,M,people,,,5,',
      'QUOTED,"Chiffre d’affaires, dit ""export"" (été)",2025,,%,10,,,',
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
