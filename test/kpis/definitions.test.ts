import t from 'tap';
import { startTestApp } from '../helpers/app.js';

// PGlite runs on the event loop: start-up and heavy statements must not trip load shedding.
const COMPUTED: Record<string, { cumulation: string; dimensions: string[] }> = {
  MEMBERS_ACTIVE: {
    cumulation: 'snapshot',
    dimensions: ['partner', 'region', 'memberType', 'womenLed'],
  },
  MEMBERS_NEW: {
    cumulation: 'period',
    dimensions: ['partner', 'region', 'memberType', 'womenLed'],
  },
  COOP_WOMEN: { cumulation: 'snapshot', dimensions: ['partner', 'region'] },
  ASSESSED: { cumulation: 'period', dimensions: ['partner', 'region', 'memberType', 'womenLed'] },
  EXPORT_READY: {
    cumulation: 'snapshot',
    dimensions: ['partner', 'region', 'memberType', 'womenLed'],
  },
  READINESS_UP: { cumulation: 'period', dimensions: ['partner', 'memberType', 'womenLed'] },
  FAIR_PARTICIPATIONS: { cumulation: 'period', dimensions: ['partner', 'mode'] },
  PEOPLE_TRAINED: { cumulation: 'period', dimensions: ['partner', 'sex'] },
};
const REPORTED = [
  'B2B_CONTACTS',
  'BSO_SERVICES',
  'CERTIFICATIONS',
  'EXPORT_SALES',
  'MEMBER_SATISFACTION',
  'NEW_MARKETS',
];

const newKpi = {
  code: 'JOBS_CREATED',
  name: { fr: 'Emplois créés', en: 'Jobs created' },
  resultLevel: 'impact',
  measure: 'unit',
  unit: 'jobs',
  ascending: true,
  source: 'reported',
  cumulation: 'cumulative',
  dimensions: ['partner', 'sex'],
  baseline: { year: 2023, value: 0 },
  endTarget: { year: 2027, value: 500 },
};

t.test('KPI definitions', async (t) => {
  const { api, keyFor } = await startTestApp(t);
  const partnerKey = await keyFor('partner', 'FENIP');
  const reportingKey = await keyFor('reporting');

  t.test(
    'the seeded KPIs of docs/kpis.md are there, with their cumulations and dimensions',
    async (t) => {
      const computed = await api({ method: 'GET', url: '/v1/kpis?source=computed&limit=100' });
      t.equal(computed.statusCode, 200);
      const byCode = Object.fromEntries(
        computed.json().data.map((k: { code: string }) => [k.code, k]),
      );
      t.same(Object.keys(byCode).sort(), Object.keys(COMPUTED).sort());
      for (const [code, expected] of Object.entries(COMPUTED)) {
        t.match(
          byCode[code],
          { ...expected, source: 'computed', measure: 'unit', builtIn: true },
          code,
        );
        t.same(byCode[code].dimensions, expected.dimensions, `${code} dimensions`);
        t.type(byCode[code].name.fr, 'string');
        t.type(byCode[code].name.en, 'string');
      }
      const reported = await api({
        method: 'GET',
        url: '/v1/kpis?source=reported',
        key: reportingKey,
      });
      t.same(
        reported.json().data.map((k: { code: string }) => k.code),
        REPORTED,
      );
      const sales = await api({ method: 'GET', url: '/v1/kpis/EXPORT_SALES', key: partnerKey });
      t.equal(sales.statusCode, 200);
      t.match(sales.json(), { unit: 'MAD', measure: 'unit', source: 'reported', version: 1 });
      t.equal(sales.headers.etag, '"1"');
      const satisfaction = await api({ method: 'GET', url: '/v1/kpis/MEMBER_SATISFACTION' });
      t.match(satisfaction.json(), { measure: 'percentage', unit: '%' });
    },
  );

  t.test('list pages with a cursor and filters by resultLevel', async (t) => {
    const first = await api({ method: 'GET', url: '/v1/kpis?limit=5' });
    t.equal(first.json().data.length, 5);
    t.equal(first.json().data[0].code, 'ASSESSED');
    const second = await api({
      method: 'GET',
      url: `/v1/kpis?limit=100&cursor=${first.json().nextCursor}`,
    });
    t.equal(second.json().data.length, 9);
    t.equal(second.json().nextCursor, null);
    const impact = await api({ method: 'GET', url: '/v1/kpis?resultLevel=impact' });
    t.same(
      impact.json().data.map((k: { code: string }) => k.code),
      ['EXPORT_SALES'],
    );
    const bad = await api({ method: 'GET', url: '/v1/kpis?source=guessed' });
    t.equal(bad.statusCode, 400);
    t.equal((await api({ method: 'GET', url: '/v1/kpis/NOPE' })).statusCode, 404);
  });

  t.test('admin creates a KPI; duplicates and computed ones are refused', async (t) => {
    const created = await api({ method: 'POST', url: '/v1/kpis', body: newKpi });
    t.equal(created.statusCode, 201, created.body);
    t.match(created.json(), {
      ...newKpi,
      description: null,
      builtIn: false,
      version: 1,
    });
    t.equal(created.headers.etag, '"1"');
    const again = await api({ method: 'POST', url: '/v1/kpis', body: newKpi });
    t.equal(again.statusCode, 409);
    t.equal(again.json().type, 'urn:jahiz:problem:conflict');
    const computed = await api({
      method: 'POST',
      url: '/v1/kpis',
      body: { ...newKpi, code: 'MY_COMPUTED', source: 'computed', dimensions: ['colour'] },
    });
    t.equal(computed.statusCode, 400);
    t.same(
      computed.json().errors.map((e: { pointer: string }) => e.pointer),
      ['/dimensions/0'],
      'shape first',
    );
    const computed2 = await api({
      method: 'POST',
      url: '/v1/kpis',
      body: {
        ...newKpi,
        code: 'MY_COMPUTED',
        source: 'computed',
        measure: 'percentage',
        endTarget: { year: 2020, value: 120 },
      },
    });
    t.equal(computed2.statusCode, 400);
    t.same(
      computed2.json().errors.map((e: { pointer: string }) => e.pointer),
      ['/source', '/endTarget/value', '/endTarget/year'],
    );
    const forbidden = await api({ method: 'POST', url: '/v1/kpis', body: newKpi, key: partnerKey });
    t.equal(forbidden.statusCode, 403);
    const reporting = await api({
      method: 'POST',
      url: '/v1/kpis',
      body: newKpi,
      key: reportingKey,
    });
    t.equal(reporting.statusCode, 403);
  });

  t.test('admin edits with If-Match', async (t) => {
    const { code: _, ...definition } = newKpi;
    const edited = { ...definition, unit: 'full-time jobs', endTarget: { year: 2027, value: 650 } };
    const url = '/v1/kpis/JOBS_CREATED';
    const missing = await api({ method: 'PUT', url, body: edited });
    t.equal(missing.statusCode, 428);
    const stale = await api({ method: 'PUT', url, body: edited, headers: { 'if-match': '"7"' } });
    t.equal(stale.statusCode, 412);
    t.equal(stale.headers.etag, '"1"');
    const ok = await api({ method: 'PUT', url, body: edited, headers: { 'if-match': '"1"' } });
    t.equal(ok.statusCode, 200, ok.body);
    t.match(ok.json(), {
      unit: 'full-time jobs',
      endTarget: { year: 2027, value: 650 },
      version: 2,
    });
    t.equal(ok.headers.etag, '"2"');
    const replay = await api({ method: 'PUT', url, body: edited, headers: { 'if-match': '"1"' } });
    t.equal(replay.statusCode, 412);
    const cleared = await api({
      method: 'PUT',
      url,
      body: { ...definition, code: 'JOBS_CREATED', baseline: undefined },
      headers: { 'if-match': '"2"' },
    });
    t.equal(cleared.statusCode, 200);
    t.equal(cleared.json().baseline, null, 'a PUT replaces: absent baseline is cleared');
    const renamed = await api({
      method: 'PUT',
      url,
      body: { ...definition, code: 'OTHER' },
      headers: { 'if-match': '"3"' },
    });
    t.equal(renamed.statusCode, 400);
    t.equal(renamed.json().errors[0].pointer, '/code');
    const byPartner = await api({
      method: 'PUT',
      url,
      body: edited,
      headers: { 'if-match': '"3"' },
      key: partnerKey,
    });
    t.equal(byPartner.statusCode, 403);
  });

  t.test('the nature of a built-in computed KPI is fixed; its labels are not', async (t) => {
    const current = (await api({ method: 'GET', url: '/v1/kpis/MEMBERS_NEW' })).json();
    const {
      code,
      builtIn,
      version,
      createdAt,
      updatedAt,
      description,
      baseline,
      endTarget,
      ...rest
    } = current;
    const changed = await api({
      method: 'PUT',
      url: '/v1/kpis/MEMBERS_NEW',
      body: { ...rest, source: 'reported', cumulation: 'cumulative' },
      headers: { 'if-match': '"1"' },
    });
    t.equal(changed.statusCode, 409);
    t.equal(changed.json().type, 'urn:jahiz:problem:computed-kpi-fixed');
    t.same(
      changed.json().errors.map((e: { pointer: string }) => e.pointer),
      ['/source', '/cumulation'],
    );
    const relabelled = await api({
      method: 'PUT',
      url: '/v1/kpis/MEMBERS_NEW',
      body: {
        ...rest,
        name: { fr: 'Nouveaux membres', en: 'New members', ar: 'أعضاء جدد' },
        baseline: { year: 2023, value: 0 },
        endTarget: { year: 2027, value: 800 },
      },
      headers: { 'if-match': '"1"' },
    });
    t.equal(relabelled.statusCode, 200, relabelled.body);
    t.match(relabelled.json(), {
      name: { ar: 'أعضاء جدد' },
      cumulation: 'period',
      endTarget: { year: 2027, value: 800 },
      version: 2,
    });
  });

  t.test('edits are audited', async (t) => {
    const events = await api({
      method: 'GET',
      url: '/v1/audit-events?entity=kpi&entityId=JOBS_CREATED',
    });
    t.equal(events.statusCode, 200, events.body);
    t.same(
      events.json().data.map((e: { action: string }) => e.action),
      ['updated', 'updated', 'created'],
    );
    t.same(events.json().data[1].changes.unit, { from: 'jobs', to: 'full-time jobs' });
  });
});
