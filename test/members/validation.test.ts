import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { iceFor, memberBody } from './fixtures.js';

interface FieldError {
  pointer: string;
  message: string;
}

t.test('member validation', async (t) => {
  const { api } = await startTestApp(t);
  const post = (body: unknown) => api({ method: 'POST', url: '/v1/members', body });
  const pointers = (res: { json(): { errors: FieldError[] } }) =>
    res
      .json()
      .errors.map((e) => e.pointer)
      .sort();

  t.test('every problem is listed at once, with pointers', async (t) => {
    const res = await post(
      memberBody({
        ice: '002284350000098',
        region: 'MA-09',
        province: 'MA-CAS',
        products: [{ hsCode: '0910.2' }, { hsCode: '3301.29' }],
        exportMarkets: ['CH', 'XX', 'ch'],
        contacts: [
          { name: 'A', phone: '+212612345678' },
          { name: 'B', phone: '0612345678', email: 'not-an-email' },
        ],
        joinedOn: '2999-01-01',
      }),
    );
    t.equal(res.statusCode, 400);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.equal(res.json().type, 'urn:jahiz:problem:validation');
    t.same(pointers(res), [
      '/contacts/1/email',
      '/contacts/1/phone',
      '/exportMarkets/1',
      '/exportMarkets/2',
      '/ice',
      '/joinedOn',
      '/products/0/hsCode',
      '/province',
    ]);
    const byPointer = Object.fromEntries(
      res.json().errors.map((e: FieldError) => [e.pointer, e.message]),
    );
    t.match(byPointer['/ice'], /check digits/);
    t.match(byPointer['/province'], /does not lie in region MA-09 \(it lies in MA-06\)/);
  });

  t.test('schema and rule errors come together', async (t) => {
    const body = memberBody({ ice: '12345', type: 'company-ltd', extra: 1 });
    delete body.name;
    const res = await post(body);
    t.equal(res.statusCode, 400);
    t.same(pointers(res), ['/extra', '/ice', '/name', '/type']);
    const ice = res.json().errors.find((e: FieldError) => e.pointer === '/ice');
    t.equal(ice.message, 'must be 15 digits');
  });

  t.test('region and province reference data', async (t) => {
    const badRegion = await post(
      memberBody({ ice: iceFor(10), region: 'MA-13', province: undefined }),
    );
    t.equal(badRegion.statusCode, 400);
    t.same(pointers(badRegion), ['/region']);
    const unknown = await post(memberBody({ ice: iceFor(11), province: 'MA-XYZ' }));
    t.same(pointers(unknown), ['/province']);
    // ISO lists Chtouka-Ait Baha under region 06; it lies in Souss-Massa (09).
    const chtouka = await post(
      memberBody({ ice: iceFor(12), region: 'MA-09', province: 'MA-CHT' }),
    );
    t.equal(chtouka.statusCode, 201, chtouka.body);
    const chtouka06 = await post(
      memberBody({ ice: iceFor(13), region: 'MA-06', province: 'MA-CHT' }),
    );
    t.same(pointers(chtouka06), ['/province']);
  });

  t.test('HS codes are stored as 6 digits whichever way they are written', async (t) => {
    const res = await post(
      memberBody({
        ice: iceFor(20),
        products: [{ hsCode: '091020' }, { hsCode: '3301.29', organic: false }],
      }),
    );
    t.equal(res.statusCode, 201, res.body);
    t.same(res.json().products, [{ hsCode: '091020' }, { hsCode: '330129', organic: false }]);
  });

  t.test('withdrawnOn cannot precede joinedOn; dates must be dates', async (t) => {
    const created = await post(memberBody({ ice: iceFor(30), joinedOn: '2023-05-01' }));
    t.equal(created.statusCode, 201);
    const { id } = created.json();
    const early = await api({
      method: 'PATCH',
      url: `/v1/members/${id}`,
      body: { status: 'withdrawn', withdrawnOn: '2023-04-30' },
      headers: { 'if-match': '"1"' },
    });
    t.equal(early.statusCode, 400);
    t.same(pointers(early), ['/withdrawnOn']);
    const notDate = await post(memberBody({ ice: iceFor(31), joinedOn: '2023-02-30' }));
    t.same(pointers(notDate), ['/joinedOn']);
  });

  t.test('documented maxima', async (t) => {
    const contacts = Array.from({ length: 21 }, (_, i) => ({ name: `C${i}` }));
    const res = await post(
      memberBody({ ice: iceFor(40), name: 'x'.repeat(201), contacts, exportMarkets: ['CH', 'CH'] }),
    );
    t.equal(res.statusCode, 400);
    t.same(pointers(res), ['/contacts', '/exportMarkets', '/name']);
  });

  t.test('admin must name the partner; unknown partner is a field error', async (t) => {
    const missing = await post(memberBody({ ice: iceFor(50), partnerCode: undefined }));
    t.same(pointers(missing), ['/partnerCode']);
    const unknown = await post(memberBody({ ice: iceFor(51), partnerCode: 'NOPE' }));
    t.same(pointers(unknown), ['/partnerCode']);
  });

  t.test('a body that is not an object', async (t) => {
    const res = await post([1, 2]);
    t.equal(res.statusCode, 400);
    const patch = await api({
      method: 'PATCH',
      url: '/v1/members/0190a1b2-0000-7000-8000-000000000000',
      body: { city: 'x' },
      headers: { 'if-match': '"1"' },
    });
    t.equal(patch.statusCode, 404);
  });
});
