import t from 'tap';
import { startTestApp } from '../helpers/app.js';

const LIMIT = { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '3600000' };

t.test('rate limits per API key', async (t) => {
  const first = await startTestApp(t, LIMIT);
  const { api, keyFor } = first;
  // Each key creation spends one of the admin key's 3 requests.
  const fenip = await keyFor('partner', 'FENIP');
  const amith = await keyFor('partner', 'AMITH');

  t.test('N requests pass with RateLimit headers, the next is a 429 problem', async (t) => {
    for (const remaining of [2, 1, 0]) {
      const res = await api({ method: 'GET', url: '/v1/partners/FENIP', key: fenip });
      t.equal(res.statusCode, 200);
      t.equal(res.headers['ratelimit-limit'], '3');
      t.equal(res.headers['ratelimit-remaining'], String(remaining));
      const reset = Number(res.headers['ratelimit-reset']);
      t.ok(reset > 3500 && reset <= 3600, `reset ${reset} s`);
    }
    const refused = await api({ method: 'GET', url: '/v1/partners/FENIP', key: fenip });
    t.equal(refused.statusCode, 429);
    t.match(refused.headers['content-type'], /^application\/problem\+json/);
    t.equal(refused.json().type, 'urn:jahiz:problem:rate-limited');
    t.equal(refused.json().status, 429);
    t.equal(refused.headers['ratelimit-limit'], '3');
    t.equal(refused.headers['ratelimit-remaining'], '0');
    const retryAfter = Number(refused.headers['retry-after']);
    t.ok(retryAfter > 3500 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
    t.equal(refused.headers['ratelimit-reset'], refused.headers['retry-after']);
  });

  t.test('a write over the limit is refused before it is checked or stored', async (t) => {
    const invalid = await api({ method: 'POST', url: '/v1/partners', body: { code: 'x' } });
    t.equal(invalid.statusCode, 400, "the admin key's last request");
    const write = await api({
      method: 'POST',
      url: '/v1/partners',
      body: { code: 'LIMIT', name: 'Limit test federation' },
    });
    t.equal(write.statusCode, 429);
  });

  t.test('another key is unaffected', async (t) => {
    const res = await api({ method: 'GET', url: '/v1/partners/LIMIT', key: amith });
    t.equal(res.statusCode, 404, 'the refused write stored nothing');
    t.equal(res.headers['ratelimit-remaining'], '2');
  });

  t.test('health, docs and the contract are not limited', async (t) => {
    for (let i = 0; i < 5; i++) {
      const ready = await api({ method: 'GET', url: '/health/ready', key: null });
      t.equal(ready.statusCode, 200);
      t.notOk(ready.headers['ratelimit-limit']);
    }
    t.equal((await api({ method: 'GET', url: '/openapi.json', key: null })).statusCode, 200);
    t.equal((await api({ method: 'GET', url: '/docs/', key: null })).statusCode, 200);
  });

  t.test('requests without a valid key are refused by authentication, not counted', async (t) => {
    for (let i = 0; i < 5; i++) {
      const res = await api({ method: 'GET', url: '/v1/partners', key: 'jz_not_a_key' });
      t.equal(res.statusCode, 401);
      t.notOk(res.headers['ratelimit-limit']);
    }
  });

  t.test(
    'two instances on one database share the counter',
    {
      // Two embedded instances cannot open one data folder: real PostgreSQL only.
      skip: process.env.TEST_DATABASE_URL ? false : 'needs TEST_DATABASE_URL',
    },
    async (t) => {
      const databaseUrl = first.config.databaseUrl;
      if (!databaseUrl) throw new Error('no database URL');
      const second = await startTestApp(t, { ...LIMIT, DATABASE_URL: databaseUrl });
      const key = await second.keyFor('partner', 'ASMEX').catch(() => null);
      t.equal(
        key,
        null,
        "the admin key's budget, spent on the first instance, holds on the second",
      );
      const amithAgain = await second.api({ method: 'GET', url: '/v1/partners', key: amith });
      t.equal(amithAgain.headers['ratelimit-remaining'], '1', 'continues the count of the first');
      t.equal((await api({ method: 'GET', url: '/v1/partners', key: amith })).statusCode, 200);
      const refused = await second.api({ method: 'GET', url: '/v1/partners', key: amith });
      t.equal(refused.statusCode, 429);
      t.equal(refused.json().type, 'urn:jahiz:problem:rate-limited');
    },
  );
});

t.test('RATE_LIMIT_MAX=0 disables the limits', async (t) => {
  const { api } = await startTestApp(t, { RATE_LIMIT_MAX: '0' });
  for (let i = 0; i < 3; i++) {
    const res = await api({ method: 'GET', url: '/v1/partners' });
    t.equal(res.statusCode, 200);
    t.notOk(res.headers['ratelimit-limit']);
  }
});
