import t from 'tap';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';

t.test(
  'with no database answering, requests get 503 problems and the process stays up',
  async (t) => {
    // Port 1 on loopback: nothing listens, connections are refused at once.
    const config = loadConfig({
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      LOG_LEVEL: 'silent',
    });
    const database = await openDatabase(config);
    const app = await buildApp({ config, database });
    t.teardown(async () => {
      await app.close();
      await database.close();
    });

    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    t.equal(ready.statusCode, 503);
    t.match(ready.headers['content-type'], /^application\/problem\+json/);
    t.equal(ready.headers['retry-after'], '5');
    t.equal(ready.json().type, 'urn:jahiz:problem:database-unavailable');

    const live = await app.inject({ method: 'GET', url: '/health/live' });
    t.equal(live.statusCode, 200, 'liveness does not depend on the database');

    const api = await app.inject({
      method: 'GET',
      url: '/v1/partners',
      headers: { authorization: 'Bearer jz_some_key' },
    });
    t.equal(api.statusCode, 503);
    t.equal(api.headers['retry-after'], '5');
    t.notMatch(api.body, /ECONNREFUSED|127\.0\.0\.1/);
  },
);
