import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { iceFor, memberBody, mergePatch } from './fixtures.js';

const today = () => new Date().toISOString().slice(0, 10);

t.test('members: identifiers, roles, withdrawal, erasure, audit', async (t) => {
  const { api, keyFor, app } = await startTestApp(t);
  const asmex = await keyFor('partner', 'ASMEX');
  const fenip = await keyFor('partner', 'FENIP');
  const reporting = await keyFor('reporting');
  const auditOf = (id: string) =>
    app.db.selectFrom('auditEvents').selectAll().where('entityId', '=', id).orderBy('id').execute();

  t.test('a second member with a registered ICE is 409 naming the first', async (t) => {
    const first = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({ ice: iceFor(1) }),
    });
    t.equal(first.statusCode, 201);
    const again = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({ ice: iceFor(1), partnerCode: undefined, name: 'Other' }),
      key: fenip,
    });
    t.equal(again.statusCode, 409, 'across partners too: the ICE is a public identifier');
    t.equal(again.json().existingMemberId, first.json().id);
    t.equal(again.json().type, 'urn:jahiz:problem:conflict');

    const second = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({ ice: iceFor(2) }),
    });
    const patch = await api({
      method: 'PATCH',
      url: `/v1/members/${second.json().id}`,
      body: { ice: iceFor(1) },
      headers: mergePatch(1),
    });
    t.equal(patch.statusCode, 409);
    t.equal(patch.json().existingMemberId, first.json().id);
  });

  t.test('externalRef is unique per partner', async (t) => {
    const a = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({ externalRef: 'M-1' }),
    });
    t.equal(a.statusCode, 201);
    const b = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({ externalRef: 'M-1' }),
    });
    t.equal(b.statusCode, 409);
    t.equal(b.json().existingMemberId, a.json().id);
    const other = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({ externalRef: 'M-1', partnerCode: 'FENIP' }),
    });
    t.equal(other.statusCode, 201, 'another partner may use the same externalRef');
  });

  t.test('partner keys: own partner implied, another is 403', async (t) => {
    const own = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({ partnerCode: undefined }),
      key: asmex,
    });
    t.equal(own.statusCode, 201);
    t.equal(own.json().partnerCode, 'ASMEX');
    const explicit = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody(),
      key: asmex,
    });
    t.equal(explicit.statusCode, 201);
    const other = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({ partnerCode: 'FENIP' }),
      key: asmex,
    });
    t.equal(other.statusCode, 403);
  });

  t.test(
    'tenancy: another partner gets 404 on every member route (403 on its partner-path), reporting 403',
    async (t) => {
      const created = await api({
        method: 'POST',
        url: '/v1/members',
        body: memberBody({ externalRef: 'T-1' }),
      });
      const { id } = created.json();
      const routes = [
        { method: 'GET', url: `/v1/members/${id}` },
        { method: 'PATCH', url: `/v1/members/${id}`, body: { city: 'x' }, headers: mergePatch(1) },
        { method: 'DELETE', url: `/v1/members/${id}` },
        { method: 'POST', url: `/v1/members/${id}/erase-personal-data` },
      ] as const;
      // Another partner's partner-path names a public partner: 403 (docs/sync.md).
      const partnerPaths = [
        {
          method: 'PUT',
          url: '/v1/partners/ASMEX/members/T-1',
          body: memberBody({ partnerCode: undefined }),
        },
        { method: 'GET', url: '/v1/partners/ASMEX/members/T-1' },
      ] as const;
      for (const route of [...routes, ...partnerPaths]) {
        const res = await api({ ...route, key: fenip });
        const expected = route.url.startsWith('/v1/partners/') ? 403 : 404;
        t.equal(res.statusCode, expected, `${route.method} ${route.url} for FENIP`);
        t.notMatch(res.body, /Safran|T-1/, 'reveals nothing');
        const rep = await api({ ...route, key: reporting });
        t.equal(rep.statusCode, 403, `${route.method} ${route.url} for reporting`);
      }
      for (const route of [
        { method: 'GET', url: '/v1/members' },
        { method: 'POST', url: '/v1/members', body: memberBody() },
        { method: 'POST', url: '/v1/members/bulk', body: { members: [] } },
      ] as const) {
        t.equal(
          (await api({ ...route, key: reporting })).statusCode,
          403,
          `${route.method} ${route.url}`,
        );
      }
      const mine = await api({ method: 'GET', url: `/v1/members/${id}`, key: asmex });
      t.equal(mine.statusCode, 200, 'the owning partner sees it');
      const still = await api({ method: 'GET', url: `/v1/members/${id}` });
      t.equal(still.json().version, 1, 'nothing changed');
    },
  );

  t.test('DELETE withdraws and keeps the data; PATCH records an earlier withdrawal', async (t) => {
    const created = (
      await api({
        method: 'POST',
        url: '/v1/members',
        body: memberBody({ joinedOn: '2022-03-01' }),
      })
    ).json();
    const url = `/v1/members/${created.id}`;
    const stale = await api({ method: 'DELETE', url, headers: { 'if-match': '"9"' } });
    t.equal(stale.statusCode, 412, 'If-Match, when sent, must match');
    const res = await api({ method: 'DELETE', url });
    t.equal(res.statusCode, 200);
    t.equal(res.json().status, 'withdrawn');
    t.equal(res.json().withdrawnOn, today());
    t.equal(res.json().name, created.name, 'data kept');
    const again = await api({ method: 'DELETE', url });
    t.equal(again.json().version, res.json().version, 'withdrawing twice changes nothing');
    t.equal((await api({ method: 'GET', url })).statusCode, 200);

    const reinstated = await api({
      method: 'PATCH',
      url,
      body: { status: 'active' },
      headers: mergePatch(2),
    });
    t.equal(reinstated.statusCode, 200, reinstated.body);
    t.equal(reinstated.json().withdrawnOn, null);
    const earlier = await api({
      method: 'PATCH',
      url,
      body: { status: 'withdrawn', withdrawnOn: '2023-12-31' },
      headers: mergePatch(3),
    });
    t.equal(earlier.statusCode, 200, earlier.body);
    t.equal(earlier.json().withdrawnOn, '2023-12-31');
    const dateOnly = await api({
      method: 'PATCH',
      url,
      body: { status: 'suspended', withdrawnOn: '2024-01-01' },
      headers: mergePatch(4),
    });
    t.equal(dateOnly.statusCode, 400);
    t.same(
      dateOnly.json().errors.map((e: { pointer: string }) => e.pointer),
      ['/withdrawnOn'],
    );
    const future = await api({
      method: 'PATCH',
      url,
      body: { withdrawnOn: '2999-01-01' },
      headers: mergePatch(4),
    });
    t.equal(future.statusCode, 400);

    const events = await auditOf(created.id);
    t.same(
      events.map((e) => e.action),
      ['created', 'withdrawn', 'updated', 'withdrawn'],
    );
    t.same(events[1]?.changes, {
      status: { from: 'active', to: 'withdrawn' },
      withdrawnOn: { from: null, to: today() },
    });
    t.equal(events[0]?.partnerCode, 'ASMEX');
    t.ok(events[0]?.actorKeyId);
  });

  t.test('erasing personal data removes contacts here and in the audit log', async (t) => {
    const created = (
      await api({ method: 'POST', url: '/v1/members', body: memberBody({ externalRef: 'E-1' }) })
    ).json();
    const url = `/v1/members/${created.id}`;
    const patched = await api({
      method: 'PATCH',
      url,
      body: { contacts: [{ name: 'Khadija Amrani', phone: '+212661234567' }] },
      headers: mergePatch(1),
    });
    t.equal(patched.statusCode, 200);
    const before = JSON.stringify(await auditOf(created.id));
    t.match(before, /Khadija Amrani/);
    t.match(before, /Fatima Zahra/);

    const res = await api({ method: 'POST', url: `${url}/erase-personal-data`, key: asmex });
    t.equal(res.statusCode, 200, res.body);
    const m = res.json();
    t.same(m.contacts, []);
    t.ok(m.personalDataErasedAt);
    t.same(m.membersCount, { women: 42, men: 3 }, 'statistics stay');
    t.equal(m.name, created.name);
    const after = await auditOf(created.id);
    const text = JSON.stringify(after);
    t.notMatch(text, /Khadija|Fatima|\+2126|fz@example/);
    t.same(
      after.map((e) => e.action),
      ['created', 'updated', 'erased'],
    );
    t.same(after[2]?.changes, { contactsCount: { from: 1, to: 0 } });
  });

  t.test('every write is audited with the changed fields', async (t) => {
    const created = (await api({ method: 'POST', url: '/v1/members', body: memberBody() })).json();
    await api({
      method: 'PATCH',
      url: `/v1/members/${created.id}`,
      body: { city: 'Agadir' },
      headers: mergePatch(1),
    });
    const events = await auditOf(created.id);
    t.equal(events.length, 2);
    t.equal(events[0]?.entity, 'member');
    t.same(events[0]?.changes?.name, { to: created.name });
    t.same(events[1]?.changes, { city: { from: 'Taliouine', to: 'Agadir' } });
  });
});
