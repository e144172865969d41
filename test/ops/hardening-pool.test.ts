import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import t from 'tap';
import { startTestApp } from '../helpers/app.js';

const realPostgres = Boolean(process.env.TEST_DATABASE_URL);

t.test(
  'an exhausted pool and a slow statement answer 503 quickly instead of hanging',
  {
    skip: realPostgres
      ? false
      : 'real PostgreSQL only (TEST_DATABASE_URL): the embedded database has one connection and no statement timeout',
  },
  async (t) => {
    const { api, app, database } = await startTestApp(
      t,
      { DB_POOL_MAX: '1', DB_CONNECT_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '1500' },
      (app) => {
        app.get('/test/hold', { schema: { hide: true } }, async () => {
          await sql`select pg_sleep(1.2)`.execute(app.db);
          return { held: true };
        });
        app.get('/test/slow', { schema: { hide: true } }, async () => {
          await sql`select pg_sleep(5)`.execute(app.db);
          return { slow: true };
        });
      },
    );
    t.equal(app.config.dbConnectTimeoutMs, 1000);

    t.test('a request that finds no free connection', async (t) => {
      const holding = api({ method: 'GET', url: '/test/hold', key: null });
      while (database.pool.idleCount > 0 || database.pool.totalCount === 0) await sleep(10);
      const started = Date.now();
      const starved = await api({ method: 'GET', url: '/v1/partners' });
      const waited = Date.now() - started;
      t.equal(starved.statusCode, 503);
      t.match(starved.headers['content-type'], /^application\/problem\+json/);
      t.equal(starved.headers['retry-after'], '5');
      t.equal(starved.json().type, 'urn:jahiz:problem:database-unavailable');
      t.ok(waited >= 900 && waited < 6000, `answered after ${waited} ms`);
      t.equal((await holding).statusCode, 200, 'the holder finished');
      t.equal(
        (await api({ method: 'GET', url: '/v1/partners' })).statusCode,
        200,
        'then all is well',
      );
    });

    t.test('a statement over DB_STATEMENT_TIMEOUT_MS is cancelled', async (t) => {
      const started = Date.now();
      const slow = await api({ method: 'GET', url: '/test/slow', key: null });
      const waited = Date.now() - started;
      t.equal(slow.statusCode, 503);
      t.equal(slow.json().type, 'urn:jahiz:problem:database-unavailable');
      t.ok(waited < 4000, `answered after ${waited} ms`);
      t.equal((await api({ method: 'GET', url: '/v1/partners' })).statusCode, 200);
    });
  },
);
