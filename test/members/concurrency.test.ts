import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { memberBody, mergePatch } from './fixtures.js';

t.test('members under concurrent writes', async (t) => {
  // Embedded PostgreSQL runs on Node's thread: big writes would trip load shedding.
  const { api, app } = await startTestApp(t);

  t.test('concurrent PATCH with the same If-Match: exactly one wins', async (t) => {
    const created = (await api({ method: 'POST', url: '/v1/members', body: memberBody() })).json();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api({
          method: 'PATCH',
          url: `/v1/members/${created.id}`,
          body: { city: `City ${i}` },
          headers: mergePatch(1),
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    t.same(codes, [200, 412, 412, 412, 412, 412, 412, 412]);
    const now = (await api({ method: 'GET', url: `/v1/members/${created.id}` })).json();
    t.equal(now.version, 2);
    const winner = results.find((r) => r.statusCode === 200)?.json();
    t.equal(now.city, winner.city);
  });

  t.test('concurrent PUT of one externalRef: one row', async (t) => {
    const body = memberBody({ partnerCode: undefined });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api({
          method: 'PUT',
          url: '/v1/partners/AMITH/members/SYNC-1',
          body: { ...body, city: `C${i % 2}` },
        }),
      ),
    );
    for (const r of results) t.ok([200, 201].includes(r.statusCode), r.body.slice(0, 200));
    t.equal(results.filter((r) => r.statusCode === 201).length, 1, 'one creation');
    const rows = await app.db
      .selectFrom('members')
      .select('id')
      .where('externalRef', '=', 'SYNC-1')
      .execute();
    t.equal(rows.length, 1);
    t.same(new Set(results.map((r) => r.json().id)).size, 1, 'every answer names the same member');
  });

  t.test('concurrent bulk requests over the same rows: no duplicates', async (t) => {
    const members = Array.from({ length: 50 }, (_, i) =>
      memberBody({ externalRef: `CB-${i}`, partnerCode: 'FENIP' }),
    );
    const results = await Promise.all(
      [1, 2, 3].map(() => api({ method: 'POST', url: '/v1/members/bulk', body: { members } })),
    );
    for (const r of results) t.equal(r.statusCode, 200, r.body.slice(0, 200));
    const created = results.reduce((sum, r) => sum + r.json().created, 0);
    t.equal(created, 50, 'each row created once');
    const rows = await app.db
      .selectFrom('members')
      .select('id')
      .where('externalRef', 'like', 'CB-%')
      .execute();
    t.equal(rows.length, 50);
  });
});
