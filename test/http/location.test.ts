import t from 'tap';
import { newMember, publishedGrid } from '../assessments/fixtures.js';
import { startTestApp } from '../helpers/app.js';
import { exampleGridBody } from '../helpers/example-grid.js';

t.test('every 201 of the contract documents Location', async (t) => {
  const { api } = await startTestApp(t);
  const doc = (await api({ method: 'GET', url: '/openapi.json', key: null })).json();
  const created: string[] = [];
  for (const item of Object.values(doc.paths as Record<string, Record<string, object>>))
    for (const operation of Object.values(item) as {
      operationId: string;
      responses: Record<string, { headers?: Record<string, unknown> }>;
    }[]) {
      const answer = operation.responses['201'];
      if (!answer) continue;
      created.push(operation.operationId);
      t.ok(answer.headers?.location, `${operation.operationId} documents Location`);
    }
  t.equal(created.length, 12, created.join(', '));
});

t.test('every 201 answers the path of what it created', async (t) => {
  const { api } = await startTestApp(t, {
    WEBHOOK_ALLOW_INSECURE_URLS: 'true',
  });
  /** The Location of a 201, and the resource read back from it where it can be read. */
  const locate = async (res: Awaited<ReturnType<typeof api>>, path: string) => {
    t.equal(res.statusCode, 201, res.body);
    t.equal(res.headers.location, path);
    return res.json();
  };
  const readsBack = async (path: string, id: string, field = 'id') => {
    const read = await api({ method: 'GET', url: path });
    t.equal(read.statusCode, 200, path);
    t.equal(read.json()[field], id, `GET ${path}`);
  };

  const partner = await locate(
    await api({ method: 'POST', url: '/v1/partners', body: { code: 'LOCX', name: 'Location' } }),
    '/v1/partners/LOCX',
  );
  await readsBack('/v1/partners/LOCX', partner.code, 'code');

  const member = await api({
    method: 'POST',
    url: '/v1/members',
    body: {
      partnerCode: 'FENIP',
      type: 'company',
      name: 'Located',
      region: 'MA-01',
      remoteArea: false,
      womenLed: false,
    },
  });
  const memberPath = `/v1/members/${member.json().id}`;
  await locate(member, memberPath);
  await readsBack(memberPath, member.json().id);

  const put = await api({
    method: 'PUT',
    url: '/v1/partners/FENIP/members/LOC-1',
    body: { type: 'company', name: 'Synced', region: 'MA-01', remoteArea: false, womenLed: false },
  });
  await locate(put, `/v1/members/${put.json().id}`);
  const replaced = await api({
    method: 'PUT',
    url: '/v1/partners/FENIP/members/LOC-1',
    body: { type: 'company', name: 'Synced', region: 'MA-01', remoteArea: false, womenLed: false },
  });
  t.equal(replaced.statusCode, 200);
  t.equal(replaced.headers.location, undefined, 'a 200 names no new resource');

  const grid = await api({ method: 'POST', url: '/v1/grids', body: exampleGridBody('LOC') });
  await locate(grid, `/v1/grids/${grid.json().id}`);
  const version = await api({ method: 'POST', url: `/v1/grids/${grid.json().id}/versions` });
  t.equal(version.statusCode, 409, 'a draft exists: no second one');
  const published = await publishedGrid(api, exampleGridBody('LOC2'));
  const next = await api({ method: 'POST', url: `/v1/grids/${published.id}/versions` });
  await locate(next, `/v1/grids/${next.json().id}`);
  await readsBack(`/v1/grids/${next.json().id}`, next.json().id);

  const assessed = await newMember(api, 'FENIP', { name: 'Assessed' });
  const assessment = await api({
    method: 'POST',
    url: '/v1/assessments',
    body: {
      memberId: assessed.id,
      gridId: published.id,
      assessedOn: '2025-03-01',
      assessor: { name: 'A. Assessor' },
      answers: [],
    },
  });
  await locate(assessment, `/v1/assessments/${assessment.json().id}`);
  await readsBack(`/v1/assessments/${assessment.json().id}`, assessment.json().id);

  const kpi = await api({
    method: 'POST',
    url: '/v1/kpis',
    body: {
      code: 'LOC_KPI',
      name: { fr: 'Lieu', en: 'Place' },
      resultLevel: 'output',
      measure: 'unit',
      unit: 'places',
      ascending: true,
      source: 'reported',
      cumulation: 'period',
      dimensions: [],
    },
  });
  await locate(kpi, '/v1/kpis/LOC_KPI');
  await readsBack('/v1/kpis/LOC_KPI', 'LOC_KPI', 'code');

  const activity = await api({
    method: 'POST',
    url: '/v1/activities',
    body: {
      partnerCode: 'FENIP',
      type: 'training',
      mode: 'physical',
      title: 'Located training',
      startsOn: '2025-02-11',
      endsOn: '2025-02-11',
      country: 'MA',
      participants: [],
    },
  });
  await locate(activity, `/v1/activities/${activity.json().id}`);
  await readsBack(`/v1/activities/${activity.json().id}`, activity.json().id);

  const key = await api({
    method: 'POST',
    url: '/v1/api-keys',
    body: { name: 'located', role: 'reporting' },
  });
  await locate(key, `/v1/api-keys/${key.json().id}`);

  const webhook = await api({
    method: 'POST',
    url: '/v1/webhooks',
    body: { url: 'http://127.0.0.1:9/hook', types: ['member.created'] },
  });
  await locate(webhook, `/v1/webhooks/${webhook.json().id}`);
  await readsBack(`/v1/webhooks/${webhook.json().id}`, webhook.json().id);

  const lock = await api({ method: 'POST', url: '/v1/periods/2020/lock', body: {} });
  await locate(lock, '/v1/periods/2020/lock');
  const partnerLock = await api({
    method: 'POST',
    url: '/v1/periods/2020Q1/lock',
    body: { partnerCode: 'FENIP' },
  });
  await locate(partnerLock, '/v1/periods/2020Q1/lock?partner=FENIP');
  const again = await api({ method: 'POST', url: '/v1/periods/2020/lock', body: {} });
  t.equal(again.statusCode, 200, 'locked already');
  t.equal(again.headers.location, undefined);
});
