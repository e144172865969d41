import t from 'tap';
import { exampleAnswers, exampleGridBody, publishedGrid } from '../assessments/fixtures.js';
import { startTestApp } from '../helpers/app.js';
import { memberBody, mergePatch } from './fixtures.js';

interface Listed {
  id: string;
  updatedAt: string;
}

t.test('updatedSince on members, assessments and activities', async (t) => {
  const { api, keyFor } = await startTestApp(t);
  const fenip = await keyFor('partner', 'FENIP');

  /** Every page of a list, one row per page, following nextCursor. */
  async function readAll(url: string, key?: string) {
    const rows: Listed[] = [];
    let cursor: string | null = null;
    do {
      const res = await api({
        method: 'GET',
        url: `${url}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        ...(key ? { key } : {}),
      });
      if (res.statusCode !== 200) throw new Error(res.body);
      rows.push(...res.json().data);
      cursor = res.json().nextCursor;
    } while (cursor);
    return rows;
  }
  const since = (instant: string) => encodeURIComponent(instant);

  const create = async (name: string, partnerCode = 'FENIP') => {
    const res = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({ partnerCode, name, contacts: [] }),
    });
    t.equal(res.statusCode, 201, res.body);
    return res.json();
  };
  const a = await create('Alpha');
  const b = await create('Beta');
  const amith = await create('Gamma', 'AMITH');
  const start = b.updatedAt;
  const c = await create('Delta');
  const patched = await api({
    method: 'PATCH',
    url: `/v1/members/${a.id}`,
    headers: mergePatch(1),
    body: { city: 'Tiznit' },
  });
  t.equal(patched.statusCode, 200);

  t.test('members changed since an instant, in (updatedAt, id) order, every page', async (t) => {
    const rows = await readAll(`/v1/members?updatedSince=${since(start)}`);
    const ids = rows.map((r) => r.id);
    t.same([...ids].sort(), [a.id, b.id, amith.id, c.id].sort(), 'Alpha only since its patch');
    t.equal(ids.at(-1), a.id, 'the member patched last comes last');
    t.equal(new Set(ids).size, ids.length, 'no row twice across pages');
    const keys = rows.map((r) => [r.updatedAt, r.id].join(' '));
    t.same(keys, [...keys].sort(), 'ordered by (updatedAt, id)');
    const scoped = await readAll(`/v1/members?updatedSince=${since(start)}`, fenip);
    t.notOk(
      scoped.some((r) => r.id === amith.id),
      "a partner key sees its own partner's only",
    );
    const later = await readAll(`/v1/members?updatedSince=${since(patched.json().updatedAt)}`);
    t.same(
      later.map((r) => r.id),
      [a.id],
      'inclusive of the instant',
    );
    const future = await api({
      method: 'GET',
      url: '/v1/members?updatedSince=2999-01-01T00:00:00Z',
    });
    t.same(future.json(), { data: [], nextCursor: null });
  });

  t.test('malformed timestamps and cursors are 400', async (t) => {
    for (const bad of ['yesterday', '2025-13-01T00:00:00Z', '2025-01-01']) {
      const res = await api({ method: 'GET', url: `/v1/members?updatedSince=${since(bad)}` });
      t.equal(res.statusCode, 400, bad);
      t.match(res.json().errors, [{ parameter: 'updatedSince' }]);
    }
    const idCursor = (await api({ method: 'GET', url: '/v1/members?limit=1' })).json().nextCursor;
    const mixed = await api({
      method: 'GET',
      url: `/v1/members?updatedSince=${since(start)}&cursor=${idCursor}`,
    });
    t.equal(mixed.statusCode, 400, 'a cursor of the id order does not page updatedSince');
    const forged = Buffer.from(JSON.stringify(['not a time', a.id])).toString('base64url');
    const res = await api({
      method: 'GET',
      url: `/v1/members?updatedSince=${since(start)}&cursor=${forged}`,
    });
    t.equal(res.statusCode, 400);
    t.match(res.json().errors, [{ parameter: 'cursor' }]);
  });

  t.test('assessments and activities', async (t) => {
    const grid = await publishedGrid(api, exampleGridBody());
    const before = (await api({ method: 'GET', url: `/v1/members/${c.id}` })).json().updatedAt;
    const draft = await api({
      method: 'POST',
      url: '/v1/assessments',
      body: {
        memberId: c.id,
        gridId: grid.id,
        assessedOn: '2025-03-10',
        assessor: { name: 'Salma Idrissi' },
        answers: exampleAnswers(true),
      },
    });
    t.equal(draft.statusCode, 201, draft.body);
    const activity = await api({
      method: 'POST',
      url: '/v1/activities',
      body: {
        partnerCode: 'FENIP',
        type: 'training',
        mode: 'physical',
        title: 'Export pricing',
        startsOn: '2025-02-11',
        endsOn: '2025-02-11',
        country: 'MA',
        participants: [{ memberId: c.id, women: 1, men: 0 }],
      },
    });
    t.equal(activity.statusCode, 201, activity.body);
    const assessments = await readAll(`/v1/assessments?updatedSince=${since(before)}`);
    t.same(
      assessments.map((r) => r.id),
      [draft.json().id],
    );
    const activities = await readAll(`/v1/activities?updatedSince=${since(before)}`);
    t.same(
      activities.map((r) => r.id),
      [activity.json().id],
    );
    const submitted = await api({
      method: 'POST',
      url: `/v1/assessments/${draft.json().id}/submit`,
    });
    t.equal(submitted.statusCode, 200, submitted.body);
    const changed = await readAll(`/v1/members?updatedSince=${since(submitted.json().updatedAt)}`);
    t.same(
      changed.map((r) => r.id),
      [c.id],
      'a new readiness makes the member changed',
    );
  });
});
