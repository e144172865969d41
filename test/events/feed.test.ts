import { sql } from 'kysely';
import t from 'tap';
import { purgeEvents } from '../../src/modules/events/repository.js';
import { exampleAnswers, exampleGridBody, newMember } from '../assessments/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { memberBody, mergePatch } from '../members/fixtures.js';

interface FeedEvent {
  id: string;
  type: string;
  occurredAt: string;
  partnerCode: string | null;
  subject: { kind: string; id: string; externalRef?: string };
  data: Record<string, unknown>;
}

/** Follows the feed to its end, page by page, as a partner system would. */
async function drain(api: TestApp['api'], key: string, query = '', limit = 7) {
  const events: FeedEvent[] = [];
  let after: string | undefined;
  for (let page = 0; page < 200; page++) {
    const cursor = after === undefined ? '' : `&after=${after}`;
    const res = await api({
      method: 'GET',
      url: `/v1/events?limit=${limit}${query}${cursor}`,
      key,
    });
    if (res.statusCode !== 200) throw new Error(`feed: ${res.statusCode} ${res.body}`);
    const body = res.json();
    events.push(...body.data);
    after = body.nextCursor;
    if (!body.hasMore) return { events, cursor: after as string };
  }
  throw new Error('the feed did not end');
}

/**
 * The feed serves a transaction's events once every older write transaction on the server has
 * ended: on a PostgreSQL shared with other test files that can take a moment. Polls until `count`.
 */
async function drainAll(api: TestApp['api'], key: string, count: number) {
  for (let i = 0; ; i++) {
    const result = await drain(api, key);
    if (result.events.length >= count || i >= 300) return result;
    await new Promise((r) => setTimeout(r, 100));
  }
}

t.test('change feed', async (t) => {
  const { api, keyFor, database } = await startTestApp(t);
  const fenip = await keyFor('partner', 'FENIP');
  const amith = await keyFor('partner', 'AMITH');
  const reporting = await keyFor('reporting');

  // One write of every kind, in a known order.
  const created = await api({
    method: 'POST',
    url: '/v1/members',
    key: fenip,
    body: memberBody({ partnerCode: 'FENIP', externalRef: 'FENIP-3' }),
  });
  t.equal(created.statusCode, 201, created.body);
  const member = created.json();
  const patched = await api({
    method: 'PATCH',
    url: `/v1/members/${member.id}`,
    headers: mergePatch(member.version),
    body: { city: 'Agadir', employees: { women: 3, men: 4 } },
  });
  t.equal(patched.statusCode, 200, patched.body);
  const amithMember = await newMember(api, 'AMITH', { name: 'Textiles du Nord' });

  const grid = (await api({ method: 'POST', url: '/v1/grids', body: exampleGridBody() })).json();
  t.equal((await api({ method: 'POST', url: `/v1/grids/${grid.id}/publish` })).statusCode, 200);
  const assessment = await api({
    method: 'POST',
    url: '/v1/assessments',
    body: {
      memberId: member.id,
      gridId: grid.id,
      assessedOn: '2025-03-01',
      assessor: { name: 'Assesseur', organisation: 'ASMEX' },
      answers: exampleAnswers(true),
      submit: true,
    },
  });
  t.equal(assessment.statusCode, 201, assessment.body);
  const activity = await api({
    method: 'POST',
    url: '/v1/activities',
    body: {
      partnerCode: 'FENIP',
      type: 'training',
      mode: 'physical',
      title: 'Formation export',
      startsOn: '2025-02-11',
      endsOn: '2025-02-11',
      city: 'Agadir',
      country: 'MA',
      participants: [{ memberId: member.id, women: 1, men: 1 }],
    },
  });
  t.equal(activity.statusCode, 201, activity.body);
  const activityPatch = await api({
    method: 'PATCH',
    url: `/v1/activities/${activity.json().id}`,
    headers: mergePatch(activity.json().version),
    body: { title: 'Formation export avancée' },
  });
  t.equal(activityPatch.statusCode, 200, activityPatch.body);
  const values = await api({
    method: 'POST',
    url: '/v1/kpi-values',
    body: { values: [{ kpi: 'EXPORT_SALES', period: '2025Q1', partnerCode: 'FENIP', value: 12 }] },
  });
  t.equal(values.statusCode, 200, values.body);
  t.equal((await api({ method: 'POST', url: '/v1/periods/2025Q1/lock' })).statusCode, 201);
  t.equal(
    (await api({ method: 'POST', url: '/v1/periods/2024/lock', body: { partnerCode: 'AMITH' } }))
      .statusCode,
    201,
  );
  t.equal((await api({ method: 'DELETE', url: '/v1/periods/2025Q1/lock' })).statusCode, 200);
  t.equal(
    (await api({ method: 'POST', url: `/v1/members/${member.id}/erase-personal-data` })).statusCode,
    200,
  );
  const withdrawn = await api({ method: 'DELETE', url: `/v1/members/${member.id}` });
  t.equal(withdrawn.statusCode, 200, withdrawn.body);

  const all = await drainAll(api, await keyFor('admin'), 14);
  const expectedTypes = [
    'member.created',
    'member.updated',
    'member.created',
    'grid.published',
    'assessment.submitted',
    'readiness.changed',
    'activity.created',
    'activity.updated',
    'kpi-value.recorded',
    'period.locked',
    'period.locked',
    'period.unlocked',
    'member.erased',
    'member.withdrawn',
  ];

  t.test('every write, in order, with ids, versions and changed fields', async (t) => {
    t.same(
      all.events.map((e) => e.type),
      expectedTypes,
    );
    const [createdEvent, updated] = all.events;
    t.match(createdEvent, {
      partnerCode: 'FENIP',
      subject: { kind: 'member', id: member.id, externalRef: 'FENIP-3' },
      data: { version: 1 },
    });
    t.same(updated?.data, {
      version: 2,
      changedFields: ['city', 'employees'],
    });
    const readiness = all.events.find((e) => e.type === 'readiness.changed');
    t.same(readiness?.data, {
      memberId: member.id,
      from: null,
      to: assessment.json().result.category,
      assessmentId: assessment.json().id,
    });
    t.match(
      all.events.find((e) => e.type === 'assessment.submitted'),
      {
        subject: { kind: 'assessment', id: assessment.json().id },
        data: { memberId: member.id, gridId: grid.id, category: assessment.json().result.category },
      },
    );
    t.match(
      all.events.find((e) => e.type === 'grid.published'),
      {
        partnerCode: null,
        data: { code: 'EXAMPLE', version: grid.version },
      },
    );
    t.same(
      all.events.filter((e) => e.type.startsWith('period.')).map((e) => [e.type, e.data]),
      [
        ['period.locked', { period: '2025Q1', partnerCode: null }],
        ['period.locked', { period: '2024', partnerCode: 'AMITH' }],
        ['period.unlocked', { period: '2025Q1', partnerCode: null }],
      ],
    );
    const ids = new Set(all.events.map((e) => e.id));
    t.equal(ids.size, all.events.length, 'no event twice');
  });

  t.test('no name, e-mail or phone in any event', async (t) => {
    const text = JSON.stringify(all.events);
    for (const personal of ['Fatima Zahra', 'fz@example.ma', '612345678', 'Safran Taliouine']) {
      t.notOk(text.includes(personal), `${personal} is not in the feed`);
    }
  });

  t.test('scoped per role', async (t) => {
    const ofFenip = await drain(api, fenip);
    t.same(
      ofFenip.events.map((e) => e.type),
      expectedTypes.filter((_, i) => i !== 2 && i !== 10),
      "FENIP sees its own events, grid.published and the periods of all partners, not AMITH's",
    );
    const ofAmith = await drain(api, amith);
    t.same(
      ofAmith.events.map((e) => [e.type, e.subject.id]),
      [
        ['member.created', amithMember.id],
        ['grid.published', grid.id],
        ['period.locked', all.events[9]?.subject.id],
        ['period.locked', all.events[10]?.subject.id],
        ['period.unlocked', all.events[11]?.subject.id],
      ],
    );
    const ofReporting = await drain(api, reporting);
    t.same(
      ofReporting.events.map((e) => e.type),
      ['grid.published', 'kpi-value.recorded', 'period.locked', 'period.locked', 'period.unlocked'],
    );
  });

  t.test('cursor, types and limit', async (t) => {
    const first = await api({ method: 'GET', url: '/v1/events?limit=3' });
    t.equal(first.statusCode, 200);
    t.equal(first.json().data.length, 3);
    t.equal(first.json().hasMore, true);
    const rest = await drain(api, (await keyFor('admin')) as string, '', 100);
    t.equal(rest.events.length, expectedTypes.length);

    const atEnd = await api({ method: 'GET', url: `/v1/events?after=${all.cursor}` });
    t.same(atEnd.json(), { data: [], nextCursor: all.cursor, hasMore: false }, 'nothing new');

    const empty = await api({
      method: 'GET',
      url: '/v1/events?types=member.erased',
      key: reporting,
    });
    t.equal(empty.json().data.length, 0);
    t.type(empty.json().nextCursor, 'string', 'nextCursor is never null');

    const filtered = await drain(api, fenip, '&types=member.updated,readiness.changed');
    t.same(
      filtered.events.map((e) => e.type),
      ['member.updated', 'readiness.changed'],
    );

    // New writes appear after the stored cursor, and only those.
    await newMember(api, 'FENIP', { name: 'Conserverie Atlantique' });
    let next = await api({ method: 'GET', url: `/v1/events?after=${all.cursor}` });
    for (let i = 0; i < 300 && next.json().data.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      next = await api({ method: 'GET', url: `/v1/events?after=${all.cursor}` });
    }
    t.same(
      next.json().data.map((e: FeedEvent) => e.type),
      ['member.created'],
    );
  });

  t.test('bad queries are 400 naming the parameter', async (t) => {
    const unknown = await api({
      method: 'GET',
      url: '/v1/events?types=member.created,member.deleted',
    });
    t.equal(unknown.statusCode, 400);
    t.match(unknown.json().errors, [{ parameter: 'types', message: /member\.deleted/ }]);
    const malformed = await api({ method: 'GET', url: '/v1/events?after=bm9wZQ' });
    t.equal(malformed.statusCode, 400);
    const forged = Buffer.from(JSON.stringify(['1; drop', '2'])).toString('base64url');
    t.equal((await api({ method: 'GET', url: `/v1/events?after=${forged}` })).statusCode, 400);
    t.equal((await api({ method: 'GET', url: '/v1/events?limit=101' })).statusCode, 400);
    t.equal((await api({ method: 'GET', url: '/v1/events', key: null })).statusCode, 401);
  });

  t.test('retention: a cursor behind purged events it would have seen is 410', async (t) => {
    const admin = await keyFor('admin');
    const start = (await api({ method: 'GET', url: '/v1/events?limit=1', key: fenip })).json();
    const amithStart = (
      await api({ method: 'GET', url: '/v1/events?limit=1&types=member.created', key: amith })
    ).json();
    // The first four events (FENIP's member twice, AMITH's member, the grid) age past 90 days.
    await sql`update events set occurred_at = now() - interval '91 days'
      where id = any(${all.events.slice(0, 4).map((e) => e.id)}::uuid[])`.execute(database.db);
    t.equal(await purgeEvents(database.db, 90), 4, 'the four old events are purged');
    t.equal(await purgeEvents(database.db, 90), 0, 'and only once');

    const expired = await api({
      method: 'GET',
      url: `/v1/events?after=${start.nextCursor}`,
      key: fenip,
    });
    t.equal(expired.statusCode, 410, expired.body);
    t.match(expired.json(), { type: 'urn:jahiz:problem:cursor-expired', status: 410 });

    // AMITH's cursor after its own member: the purged events after it are FENIP's and the grid,
    // which an AMITH key filtering member.created would not have seen.
    const fine = await api({
      method: 'GET',
      url: `/v1/events?after=${amithStart.nextCursor}&types=member.created`,
      key: amith,
    });
    t.equal(fine.statusCode, 200, fine.body);

    const fresh = await drain(api, admin);
    t.equal(
      fresh.events.length,
      expectedTypes.length + 1 - 4,
      'the feed starts at the oldest kept',
    );
    const fromFresh = await api({
      method: 'GET',
      url: `/v1/events?after=${fresh.cursor}`,
      key: admin,
    });
    t.equal(fromFresh.statusCode, 200);
  });
});
