import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { iceFor, memberBody, mergePatch } from './fixtures.js';

t.test('members: create, get, patch', async (t) => {
  const { api } = await startTestApp(t);

  t.test('create answers the whole member with an ETag', async (t) => {
    const res = await api({
      method: 'POST',
      url: '/v1/members',
      body: memberBody({ ice: '002284350000097' }),
    });
    t.equal(res.statusCode, 201, res.body);
    const m = res.json();
    t.match(m.id, /^[0-9a-f-]{36}$/);
    t.equal(res.headers.etag, '"1"');
    t.equal(m.partnerCode, 'ASMEX');
    t.equal(m.status, 'active');
    t.equal(m.withdrawnOn, null);
    t.equal(m.readiness, null);
    t.equal(m.version, 1);
    t.equal(m.joinedOn, new Date().toISOString().slice(0, 10), 'joinedOn defaults to today');
    t.same(m.products, [{ hsCode: '091020', name: 'Safran AOP Taliouine', organic: true }]);
    t.same(m.membersCount, { women: 42, men: 3 });
    t.equal(m.employees, null);
    t.equal(m.ice, '002284350000097');

    const got = await api({ method: 'GET', url: `/v1/members/${m.id}` });
    t.equal(got.statusCode, 200);
    t.same(got.json(), m);
    t.equal(got.headers.etag, '"1"');
  });

  t.test('merge patch with If-Match', async (t) => {
    const created = (
      await api({ method: 'POST', url: '/v1/members', body: memberBody({ ice: iceFor(1) }) })
    ).json();
    const url = `/v1/members/${created.id}`;
    const noIfMatch = await api({ method: 'PATCH', url, body: { city: 'Agadir' } });
    t.equal(noIfMatch.statusCode, 428);
    const stale = await api({
      method: 'PATCH',
      url,
      body: { city: 'Agadir' },
      headers: mergePatch(7),
    });
    t.equal(stale.statusCode, 412);
    t.equal(stale.json().type, 'urn:jahiz:problem:stale-version');

    const res = await api({
      method: 'PATCH',
      url,
      body: {
        city: 'Agadir',
        legalForm: null,
        digital: { ecommerce: true },
        employees: { women: 2, men: 1 },
      },
      headers: mergePatch(1),
    });
    t.equal(res.statusCode, 200, res.body);
    const m = res.json();
    t.equal(m.city, 'Agadir');
    t.equal(m.legalForm, null, 'null removes');
    t.same(m.digital, { website: 'https://safran.example.ma', ecommerce: true }, 'objects merge');
    t.same(m.employees, { women: 2, men: 1 });
    t.equal(m.version, 2);
    t.equal(res.headers.etag, '"2"');

    const json = await api({
      method: 'PATCH',
      url,
      body: { name: 'Coopérative Al Amal' },
      headers: { 'if-match': '"2"', 'content-type': 'application/json' },
    });
    t.equal(json.statusCode, 200, 'application/json is accepted as well');
    t.equal(json.json().name, 'Coopérative Al Amal');

    const same = await api({
      method: 'PATCH',
      url,
      body: { city: 'Agadir' },
      headers: mergePatch(3),
    });
    t.equal(same.json().version, 3, 'a patch that changes nothing keeps the version');

    const invalid = await api({
      method: 'PATCH',
      url,
      body: { name: null, province: 'MA-CAS', id: 'x' },
      headers: mergePatch(3),
    });
    t.equal(invalid.statusCode, 400);
    t.same(
      invalid
        .json()
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
      ['/id', '/name', '/province'],
    );
  });
});
