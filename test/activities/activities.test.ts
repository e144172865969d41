import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { ifMatch, memberBody, mergePatch } from '../members/fixtures.js';

const UNKNOWN = '01936000-0000-7000-8000-00000000beef';

t.test('activities', async (t) => {
  const { api, keyFor } = await startTestApp(t);
  const fenipKey = await keyFor('partner', 'FENIP');
  const reportingKey = await keyFor('reporting');

  async function member(partnerCode: string, name: string) {
    const res = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({ partnerCode, name, contacts: [] }),
    });
    t.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  }
  const asmexMember = await member('ASMEX', 'Coopérative Argan Tamanar');
  const fenipMember = await member('FENIP', 'Conserverie Atlantique');
  const fenipMember2 = await member('FENIP', 'Pêcheries du Sud');

  const fair = {
    partnerCode: 'ASMEX',
    type: 'trade_fair',
    mode: 'hybrid',
    title: 'Biofach 2025 — pavillon Maroc',
    startsOn: '2025-02-11',
    endsOn: '2025-02-14',
    city: 'Nuremberg',
    country: 'DE',
    participants: [
      { memberId: asmexMember, women: 2, men: 1 },
      { memberId: fenipMember, women: 0, men: 2 },
    ],
  };
  let fairId = '';

  t.test('admin records an activity with members of two partners', async (t) => {
    const res = await api({ method: 'POST', url: '/v1/activities', body: fair });
    t.equal(res.statusCode, 201, res.body);
    const body = res.json();
    fairId = body.id;
    t.equal(res.headers.etag, '"1"');
    t.match(body, {
      partnerCode: 'ASMEX',
      type: 'trade_fair',
      mode: 'hybrid',
      region: null,
      country: 'DE',
      participants: fair.participants,
      totals: { members: 2, women: 2, men: 3 },
      version: 1,
    });
    const got = await api({ method: 'GET', url: `/v1/activities/${fairId}` });
    t.same(got.json(), body);
    const audit = await api({ method: 'GET', url: `/v1/audit-events?entityId=${fairId}` });
    t.equal(audit.json().data.length, 1);
    t.match(audit.json().data[0], { entity: 'activity', action: 'created', partnerCode: 'ASMEX' });
  });

  t.test('every invalid field at once, with pointers', async (t) => {
    const res = await api({
      method: 'POST',
      url: '/v1/activities',
      body: {
        ...fair,
        type: 'party',
        endsOn: '2025-02-01',
        region: 'MA-01',
        country: 'XX',
        participants: [
          { memberId: asmexMember, women: 1, men: 0 },
          { memberId: asmexMember, women: 1, men: 0 },
          { memberId: fenipMember, women: -1, men: 0 },
        ],
      },
    });
    t.equal(res.statusCode, 400);
    const pointers = res
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort();
    t.same(pointers, [
      '/country',
      '/endsOn',
      '/participants/1/memberId',
      '/participants/2/women',
      '/region',
      '/type',
    ]);
    const admin = await api({
      method: 'POST',
      url: '/v1/activities',
      body: { ...fair, partnerCode: undefined },
    });
    t.equal(admin.statusCode, 400);
    t.match(admin.json().errors, [{ pointer: '/partnerCode', message: /required/ }]);
  });

  t.test('partner keys: own partner, own members, nothing revealed', async (t) => {
    const own = {
      type: 'training',
      mode: 'physical',
      title: 'Formation HACCP',
      startsOn: '2025-03-03',
      endsOn: '2025-03-04',
      city: 'Agadir',
      region: 'MA-09',
      country: 'MA',
      participants: [{ memberId: fenipMember, women: 5, men: 3 }],
    };
    const created = await api({ method: 'POST', url: '/v1/activities', key: fenipKey, body: own });
    t.equal(created.statusCode, 201, created.body);
    t.equal(created.json().partnerCode, 'FENIP');

    const other = await api({
      method: 'POST',
      url: '/v1/activities',
      key: fenipKey,
      body: { ...own, partnerCode: 'ASMEX' },
    });
    t.equal(other.statusCode, 403);

    const foreign = await api({
      method: 'POST',
      url: '/v1/activities',
      key: fenipKey,
      body: {
        ...own,
        participants: [
          { memberId: fenipMember, women: 1, men: 1 },
          { memberId: fenipMember2, women: 1, men: 1 },
          { memberId: asmexMember, women: 1, men: 1 },
          { memberId: UNKNOWN, women: 1, men: 1 },
        ],
      },
    });
    t.equal(foreign.statusCode, 400);
    const errors = foreign.json().errors;
    t.same(
      errors.map((e: { pointer: string }) => e.pointer),
      ['/participants/2/memberId', '/participants/3/memberId'],
    );
    t.equal(errors[0].message, errors[1].message, 'another partner’s member reads as unknown');

    const hidden = await api({ method: 'GET', url: `/v1/activities/${fairId}`, key: fenipKey });
    t.equal(hidden.statusCode, 404);
    const patchHidden = await api({
      method: 'PATCH',
      url: `/v1/activities/${fairId}`,
      key: fenipKey,
      headers: mergePatch(1),
      body: { title: 'x' },
    });
    t.equal(patchHidden.statusCode, 404);
    const list = await api({ method: 'GET', url: '/v1/activities', key: fenipKey });
    t.same(
      list.json().data.map((a: { partnerCode: string }) => a.partnerCode),
      ['FENIP'],
    );
  });

  t.test('reporting keys may not use activity routes', async (t) => {
    for (const [method, url] of [
      ['GET', '/v1/activities'],
      ['GET', `/v1/activities/${fairId}`],
      ['POST', '/v1/activities'],
    ] as const) {
      const res = await api({
        method,
        url,
        key: reportingKey,
        body: method === 'POST' ? fair : undefined,
      });
      t.equal(res.statusCode, 403, `${method} ${url}`);
    }
  });

  t.test('list filters and paging', async (t) => {
    const ids = async (query: string) =>
      (await api({ method: 'GET', url: `/v1/activities?${query}` }))
        .json()
        .data.map((a: { type: string }) => a.type);
    t.same(await ids('type=trade_fair'), ['trade_fair']);
    t.same(await ids('mode=physical'), ['training']);
    t.same(await ids('partner=FENIP'), ['training']);
    t.same(await ids(`memberId=${asmexMember}`), ['trade_fair']);
    t.same(await ids(`memberId=${fenipMember}`), ['trade_fair', 'training']);
    t.same(await ids('from=2025-03-01'), ['training']);
    t.same(await ids('to=2025-02-28'), ['trade_fair']);
    const first = await api({ method: 'GET', url: '/v1/activities?limit=1' });
    t.equal(first.json().data.length, 1);
    const second = await api({
      method: 'GET',
      url: `/v1/activities?limit=1&cursor=${first.json().nextCursor}`,
    });
    t.equal(second.json().data[0].type, 'training');
    t.equal(second.json().nextCursor, null);
    const bad = await api({ method: 'GET', url: '/v1/activities?type=party&limit=0' });
    t.equal(bad.statusCode, 400);
  });

  t.test('merge patch with If-Match replaces participants', async (t) => {
    const url = `/v1/activities/${fairId}`;
    const missing = await api({ method: 'PATCH', url, body: { title: 'x' } });
    t.equal(missing.statusCode, 428);
    const stale = await api({ method: 'PATCH', url, headers: mergePatch(7), body: { title: 'x' } });
    t.equal(stale.statusCode, 412);
    const res = await api({
      method: 'PATCH',
      url,
      headers: mergePatch(1),
      body: {
        city: null,
        mode: 'digital',
        participants: [{ memberId: fenipMember2, women: 4, men: 0 }],
      },
    });
    t.equal(res.statusCode, 200, res.body);
    t.equal(res.headers.etag, '"2"');
    t.match(res.json(), {
      city: null,
      mode: 'digital',
      participants: [{ memberId: fenipMember2, women: 4, men: 0 }],
      totals: { members: 1, women: 4, men: 0 },
    });
    const invalid = await api({
      method: 'PATCH',
      url,
      headers: ifMatch(2),
      body: {
        endsOn: '2020-01-01',
        partnerCode: 'FENIP',
        participants: [{ memberId: UNKNOWN, women: 1, men: 0 }],
      },
    });
    t.equal(invalid.statusCode, 400);
    t.same(
      invalid
        .json()
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
      ['/endsOn', '/participants/0/memberId', '/partnerCode'],
    );
    const audit = await api({ method: 'GET', url: `/v1/audit-events?entityId=${fairId}` });
    const updated = audit.json().data.find((e: { action: string }) => e.action === 'updated');
    t.same(Object.keys(updated.changes).sort(), ['city', 'mode', 'participants']);
  });

  t.test('a locked period refuses activity writes', async (t) => {
    const lock = await api({ method: 'POST', url: '/v1/periods/2024Q2/lock', body: {} });
    t.ok([200, 201].includes(lock.statusCode), lock.body);
    const res = await api({
      method: 'POST',
      url: '/v1/activities',
      body: { ...fair, startsOn: '2024-05-10', endsOn: '2024-05-12' },
    });
    t.equal(res.statusCode, 409);
    t.equal(res.json().type, 'urn:jahiz:problem:period-locked');
    const move = await api({
      method: 'PATCH',
      url: `/v1/activities/${fairId}`,
      headers: mergePatch(2),
      body: { startsOn: '2024-06-01' },
    });
    t.equal(move.statusCode, 409);
  });
});
