import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { iceFor, memberBody, mergePatch } from './fixtures.js';

const row = (externalRef: string, overrides: Record<string, unknown> = {}) =>
  memberBody({ externalRef, contacts: [], ...overrides });

t.test('members: PUT by externalRef and bulk upsert', async (t) => {
  // Embedded PostgreSQL runs on Node's thread: big writes would trip load shedding.
  const { api, keyFor, app } = await startTestApp(t);
  const fenip = await keyFor('partner', 'FENIP');
  const count = async () =>
    Number(
      (
        await app.db
          .selectFrom('members')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  t.test('PUT creates (201), replaces (200), leaves identical bodies unchanged', async (t) => {
    const url = '/v1/partners/FENIP/members/F-001';
    const body = memberBody({
      partnerCode: undefined,
      type: 'company',
      name: 'Conserverie Agadir',
      region: 'MA-09',
      province: 'MA-AGD',
      legalForm: 'SA',
    });
    const created = await api({ method: 'PUT', url, body, key: fenip });
    t.equal(created.statusCode, 201, created.body);
    t.equal(created.json().externalRef, 'F-001');
    t.equal(created.json().partnerCode, 'FENIP');
    const same = await api({ method: 'PUT', url, body, key: fenip });
    t.equal(same.statusCode, 200);
    t.equal(same.json().version, 1, 'unchanged');
    const { legalForm: _dropped, ...without } = body;
    const replaced = await api({
      method: 'PUT',
      url,
      body: { ...without, city: 'Agadir' },
      key: fenip,
      headers: { 'if-match': '"1"' },
    });
    t.equal(replaced.statusCode, 200);
    t.equal(replaced.json().version, 2);
    t.equal(replaced.json().legalForm, null, 'full replacement clears what is not sent');
    t.equal(replaced.json().joinedOn, created.json().joinedOn, 'joinedOn is kept');
    t.equal(replaced.json().id, created.json().id);
    const stale = await api({
      method: 'PUT',
      url,
      body,
      key: fenip,
      headers: { 'if-match': '"1"' },
    });
    t.equal(stale.statusCode, 412);
    const wrongRef = await api({
      method: 'PUT',
      url,
      body: { ...body, externalRef: 'F-002' },
      key: fenip,
    });
    t.equal(wrongRef.statusCode, 400);
    t.same(
      wrongRef.json().errors.map((e: { pointer: string }) => e.pointer),
      ['/externalRef'],
    );
    const admin = await api({ method: 'PUT', url: '/v1/partners/NOPE/members/X', body });
    t.equal(admin.statusCode, 404);
    const ice = await api({
      method: 'PUT',
      url: '/v1/partners/FENIP/members/F-009',
      body: { ...body, ice: iceFor(77) },
      key: fenip,
    });
    t.equal(ice.statusCode, 201);
    const iceAgain = await api({
      method: 'PUT',
      url: '/v1/partners/ASMEX/members/A-009',
      body: { ...body, ice: iceFor(77) },
    });
    t.equal(iceAgain.statusCode, 409);
    t.equal(iceAgain.json().existingMemberId, ice.json().id);
  });

  t.test('bulk: mixed valid and invalid rows are independent', async (t) => {
    const first = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: { members: [row('B-1', { ice: iceFor(1) }), row('B-2')] },
    });
    t.equal(first.statusCode, 200, first.body);
    t.same(
      first.json().results.map((r: { status: string }) => r.status),
      ['created', 'created'],
    );
    const ids = first.json().results.map((r: { id: string }) => r.id);

    const before = await count();
    const res = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: {
        members: [
          row('B-1', { ice: iceFor(1) }), // unchanged
          row('B-2', { city: 'Tiznit' }), // updated
          row('B-3', { ice: '002284350000098', province: 'MA-CAS' }), // invalid
          row('B-4'), // created
          row('B-4'), // repeats row 3
          row('B-5', { ice: iceFor(77) }), // ICE held by FENIP's F-009
          { ...row('B-6'), partnerCode: undefined }, // admin must name the partner
          row('B-7', { products: [{ hsCode: '0910.20' }] }),
        ],
      },
    });
    t.equal(res.statusCode, 200, res.body);
    const body = res.json();
    t.same(
      body.results.map((r: { status: string }) => r.status),
      ['unchanged', 'updated', 'failed', 'created', 'failed', 'failed', 'failed', 'created'],
    );
    t.same([body.created, body.updated, body.unchanged, body.failed], [2, 1, 1, 4]);
    t.equal(body.results[0].id, ids[0]);
    t.equal(body.results[1].id, ids[1]);
    t.same(body.results[2].errors.map((e: { pointer: string }) => e.pointer).sort(), [
      '/members/2/ice',
      '/members/2/province',
    ]);
    t.same(body.results[4].errors, [
      { pointer: '/members/4/externalRef', message: 'repeats row 3' },
    ]);
    t.match(body.results[5].errors, [
      { pointer: '/members/5/ice', message: /^is registered already \(member [0-9a-f-]{36}\)$/ },
    ]);
    t.same(
      body.results[6].errors.map((e: { pointer: string }) => e.pointer),
      ['/members/6/partnerCode'],
    );
    t.equal(await count(), before + 2);
    const b7 = await api({ method: 'GET', url: `/v1/members/${body.results[7].id}` });
    t.same(b7.json().products, [{ hsCode: '091020' }]);
    const b2 = await api({ method: 'GET', url: `/v1/members/${ids[1]}` });
    t.equal(b2.json().city, 'Tiznit');
    t.equal(b2.json().version, 2);
    const audit = await app.db
      .selectFrom('auditEvents')
      .selectAll()
      .where('entityId', '=', ids[1])
      .orderBy('id')
      .execute();
    t.same(
      audit.map((e) => e.action),
      ['created', 'updated'],
    );
    t.same(audit[1]?.changes, { city: { from: 'Taliouine', to: 'Tiznit' } });
  });

  t.test('bulk: two rows with one ICE, the second fails', async (t) => {
    const res = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: { members: [row('I-1', { ice: iceFor(500) }), row('I-2', { ice: iceFor(500) })] },
    });
    t.same(
      res.json().results.map((r: { status: string }) => r.status),
      ['created', 'failed'],
    );
    t.same(res.json().results[1].errors, [
      { pointer: '/members/1/ice', message: 'repeats the ICE of row 0' },
    ]);
  });

  t.test('bulk: lone surrogates in text are stored, compared and audited as U+FFFD', async (t) => {
    // Bound text reaches PostgreSQL as UTF-8, where a lone surrogate becomes U+FFFD.
    const members = [row('S-\uD800', { name: 'Coop \uD800 Tata', city: 'x\uDFFFy' })];
    const first = await api({ method: 'POST', url: '/v1/members/bulk', body: { members } });
    t.equal(first.statusCode, 200, first.body);
    t.equal(first.json().results[0].status, 'created');
    const id = first.json().results[0].id;
    const stored = (await api({ method: 'GET', url: `/v1/members/${id}` })).json();
    t.same(
      [stored.externalRef, stored.name, stored.city],
      ['S-\uFFFD', 'Coop \uFFFD Tata', 'x\uFFFDy'],
    );
    const events = await app.db
      .selectFrom('auditEvents')
      .select('changes')
      .where('entityId', '=', id)
      .execute();
    t.same(events[0]?.changes?.name, { to: 'Coop \uFFFD Tata' });
    const again = await api({ method: 'POST', url: '/v1/members/bulk', body: { members } });
    t.same(again.json().results[0], {
      index: 0,
      status: 'unchanged',
      id,
      externalRef: 'S-\uFFFD',
      version: 1,
    });
    // Two refs that differ only by a lone surrogate are one ref once stored: a repeat, not a 500.
    const twins = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: { members: [row('T-\uD800'), row('T-\uDFFF')] },
    });
    t.equal(twins.statusCode, 200, twins.body);
    t.same(twins.json().results[1].errors, [
      { pointer: '/members/1/externalRef', message: 'repeats row 0' },
    ]);
  });

  t.test('bulk dryRun writes nothing', async (t) => {
    const before = await count();
    const events = await app.db.selectFrom('auditEvents').select('id').execute();
    const res = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: {
        dryRun: true,
        members: [
          row('D-1'),
          row('B-2', { city: 'Tata' }),
          row('B-1', { ice: iceFor(1) }),
          row('D-2', { ice: 'x' }),
        ],
      },
    });
    t.equal(res.statusCode, 200);
    t.same(
      res.json().results.map((r: { status: string }) => r.status),
      ['created', 'updated', 'unchanged', 'failed'],
    );
    t.equal(res.json().dryRun, true);
    t.notOk(res.json().results[0].id, 'no id for a row not created');
    t.equal(await count(), before);
    t.equal((await app.db.selectFrom('auditEvents').select('id').execute()).length, events.length);
    const b2 = await api({ method: 'GET', url: `/v1/members/${res.json().results[1].id}` });
    t.equal(b2.json().city, 'Tiznit');
  });

  t.test('bulk with a partner key: own partner only, others never revealed', async (t) => {
    const res = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      key: fenip,
      body: {
        members: [
          { ...row('F-100'), partnerCode: undefined },
          row('F-101'), // partnerCode ASMEX
          { ...row('F-102', { ice: iceFor(1) }), partnerCode: 'FENIP' }, // ICE of an ASMEX member
          { ...row('B-1'), partnerCode: undefined }, // ASMEX's B-1 is not FENIP's: a new FENIP member
        ],
      },
    });
    t.equal(res.statusCode, 200, res.body);
    const results = res.json().results;
    t.same(
      results.map((r: { status: string }) => r.status),
      ['created', 'failed', 'failed', 'created'],
    );
    t.match(results[1].errors[0], {
      pointer: '/members/1/partnerCode',
      message: /own partner \(FENIP\)/,
    });
    t.equal(results[2].errors[0].message, 'is registered already by a member of another partner');
    t.notMatch(res.body, /Safran/);
    const created = await api({ method: 'GET', url: `/v1/members/${results[3].id}`, key: fenip });
    t.equal(created.json().partnerCode, 'FENIP');
  });

  t.test('bulk limits', async (t) => {
    const tooMany = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: { members: Array.from({ length: 1001 }, (_, i) => row(`L-${i}`)) },
    });
    t.equal(tooMany.statusCode, 400);
    const empty = await api({ method: 'POST', url: '/v1/members/bulk', body: { members: [] } });
    t.equal(empty.statusCode, 400);
    const big = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: { members: [row('X', { name: 'y'.repeat(6 * 1024 * 1024) })] },
    });
    t.equal(big.statusCode, 413);
  });

  t.test('bulk: 1,000 rows in one request, then the same again unchanged', async (t) => {
    const members = Array.from({ length: 1000 }, (_, i) =>
      row(`K-${i}`, {
        ice: iceFor(10_000 + i),
        name: `Membre ${i}`,
        contacts: [{ name: `Contact ${i}`, phone: '+212612345678' }],
      }),
    );
    const started = Date.now();
    const res = await api({ method: 'POST', url: '/v1/members/bulk', body: { members } });
    t.equal(res.statusCode, 200, res.body.slice(0, 500));
    t.equal(res.json().created, 1000);
    t.comment(`1,000 rows in ${Date.now() - started} ms`);
    const again = await api({ method: 'POST', url: '/v1/members/bulk', body: { members } });
    t.equal(again.json().unchanged, 1000);
    const listed = await api({ method: 'GET', url: '/v1/members?q=membre%20999' });
    t.equal(listed.json().data.length, 1);
  });

  t.test('patch after a sync keeps working', async (t) => {
    const m = (await api({ method: 'GET', url: '/v1/members?q=membre%2042&limit=1' })).json()
      .data[0];
    const res = await api({
      method: 'PATCH',
      url: `/v1/members/${m.id}`,
      body: { womenLed: false },
      headers: mergePatch(m.version),
    });
    t.equal(res.statusCode, 200);
  });
});
