import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { clientOf } from '../../src/http/plugins/auth-failures.js';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/app.js';

const LIMIT = 5;

function guess(app: TestApp, key: string | null, remoteAddress = '127.0.0.1') {
  return app.app.inject({
    method: 'GET',
    url: '/v1/partners',
    remoteAddress,
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
}

/** Database connections taken from the pool while `fn` runs: one per query outside a transaction. */
async function queriesDuring(app: TestApp, fn: () => Promise<unknown>) {
  let taken = 0;
  const count = () => {
    taken += 1;
  };
  app.database.pool.on('acquire', count);
  try {
    await fn();
  } finally {
    app.database.pool.off('acquire', count);
  }
  return taken;
}

t.test('beyond the limit an address gets 429 with Retry-After, without a query', async (t) => {
  const app = await startTestApp(t, {
    AUTH_FAILURE_LIMIT: String(LIMIT),
    AUTH_FAILURE_WINDOW_MS: '60000',
    // Only the guesses may touch the database here.
    RATE_LIMIT_MAX: '0',
  });
  const before = await queriesDuring(app, async () => {
    for (let i = 0; i < LIMIT; i += 1) {
      const res = await guess(app, `jz_wrong_${i}`);
      t.equal(res.statusCode, 401, `guess ${i + 1} is looked up and refused`);
    }
  });
  t.ok(before >= LIMIT, 'guesses under the limit are looked up');
  const limited = await queriesDuring(app, async () => {
    for (let i = 0; i < 50; i += 1) {
      const res = await guess(app, `jz_more_${i}`);
      t.equal(res.statusCode, 429);
      if (i === 0) {
        const retryAfter = Number(res.headers['retry-after']);
        t.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
        t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
        t.match(res.json(), {
          status: 429,
          type: 'urn:jahiz:problem:too-many-failed-authentications',
        });
      }
    }
  });
  t.equal(limited, 0, 'no database query per guess once limited');
  t.equal((await guess(app, ADMIN_KEY)).statusCode, 429, 'the address is refused, keys and all');
  t.equal((await guess(app, 'jz_other', '10.1.2.3')).statusCode, 401, 'other addresses are not');
  const warnings = app.logs.filter((l) =>
    /failed authentications over the limit/.test(String(l.msg)),
  );
  t.equal(warnings.length, 1, 'one log line');
  t.equal(warnings[0]?.client, '127.0.0.1');
});

t.test('the window ends; requests without a key are not guesses; 0 disables', async (t) => {
  const app = await startTestApp(t, {
    AUTH_FAILURE_LIMIT: '2',
    AUTH_FAILURE_WINDOW_MS: '1000',
  });
  for (let i = 0; i < 10; i += 1) t.equal((await guess(app, null)).statusCode, 401);
  t.equal((await guess(app, 'jz_a')).statusCode, 401);
  t.equal((await guess(app, 'not a bearer key at all!')).statusCode, 401);
  t.equal((await guess(app, ADMIN_KEY)).statusCode, 429);
  await sleep(1100);
  t.equal((await guess(app, ADMIN_KEY)).statusCode, 200, 'a new window');

  const open = await startTestApp(t, { AUTH_FAILURE_LIMIT: '0' });
  for (let i = 0; i < 30; i += 1) t.equal((await guess(open, `jz_x${i}`)).statusCode, 401);
});

t.test('an IPv6 client is counted by its /64', async (t) => {
  t.equal(clientOf('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
  t.equal(clientOf('2001:0db8:0001:0002::7'), '2001:db8:1:2::/64');
  t.equal(clientOf('::1'), '0:0:0:0::/64');
  t.equal(clientOf('::ffff:192.0.2.7'), '192.0.2.7');
  t.equal(clientOf('192.0.2.7'), '192.0.2.7');
});

t.test('behind a trusted proxy the forwarded client is counted', async (t) => {
  const app = await startTestApp(t, { AUTH_FAILURE_LIMIT: '1', TRUST_PROXY: '127.0.0.1' });
  const via = (client: string, key: string) =>
    app.app.inject({
      method: 'GET',
      url: '/v1/partners',
      remoteAddress: '127.0.0.1',
      headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': client },
    });
  t.equal((await via('198.51.100.1', 'jz_wrong')).statusCode, 401);
  t.equal((await via('198.51.100.1', ADMIN_KEY)).statusCode, 429);
  t.equal((await via('198.51.100.2', ADMIN_KEY)).statusCode, 200, 'another client behind it');
});
