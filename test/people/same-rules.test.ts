/**
 * A person is a caller like a key: the rate limit counts them apart from every key, and
 * idempotent POSTs are scoped to them (docs/people.md).
 */
import t from 'tap';
import { startTestApp } from '../helpers/app.js';
import { AUDIENCE, signingKey, startProvider } from '../helpers/oidc-provider.js';

const provider = await startProvider(
  {
    'amina.officer': { jahiz_role: 'admin', name: 'Amina Benali' },
    'karim.officer': { jahiz_role: 'admin', name: 'Karim Idrissi' },
  },
  [await signingKey('same-rules', 'ES256')],
);
t.teardown(() => provider.close());
const OIDC = { OIDC_ISSUER: provider.issuer, OIDC_AUDIENCE: AUDIENCE };

t.test('the rate limit counts each person, whatever their token', async (t) => {
  const { api } = await startTestApp(t, {
    ...OIDC,
    RATE_LIMIT_MAX: '3',
    RATE_LIMIT_WINDOW_MS: '3600000',
  });
  const read = (key?: string) => api({ method: 'GET', url: '/v1/partners/FENIP', key });
  for (const remaining of [2, 1, 0]) {
    // A new token each time: the person is counted, not the token.
    const res = await read(await provider.token('amina.officer'));
    t.equal(res.statusCode, 200);
    t.equal(res.headers['ratelimit-remaining'], String(remaining));
  }
  const refused = await read(await provider.token('amina.officer'));
  t.equal(refused.statusCode, 429);
  t.equal(refused.json().type, 'urn:jahiz:problem:rate-limited');
  const other = await read(await provider.token('karim.officer'));
  t.equal(other.statusCode, 200, 'another person is unaffected');
  t.equal((await read()).statusCode, 200, 'and so is the admin key');
});

t.test('an Idempotency-Key belongs to the person who sent it', async (t) => {
  const { api } = await startTestApp(t, { ...OIDC, RATE_LIMIT_MAX: '0' });
  const token = await provider.token('amina.officer');
  const create = (key: string, code: string) =>
    api({
      method: 'POST',
      url: '/v1/partners',
      key,
      body: { code, name: `Federation ${code}` },
      headers: { 'idempotency-key': 'create-once' },
    });
  const first = await create(token, 'IDEMA');
  t.equal(first.statusCode, 201, first.body);
  const again = await create(token, 'IDEMA');
  t.equal(again.statusCode, 201);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.same(again.json(), first.json());

  const renewed = await create(await provider.token('amina.officer'), 'IDEMA');
  t.equal(renewed.statusCode, 409, 'a renewed token cannot read the first answer');
  t.equal(renewed.json().type, 'urn:jahiz:problem:idempotency-key-used');

  const colleague = await create(await provider.token('karim.officer'), 'IDEMK');
  t.equal(colleague.statusCode, 201, 'the same key from another person is theirs');
  t.notOk(colleague.headers['idempotent-replayed']);
});
