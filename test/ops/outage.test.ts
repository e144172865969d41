import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import t from 'tap';
import { startTestApp } from '../helpers/app.js';

const PROBLEM = /^application\/problem\+json/;

/** A TCP relay between the app and PostgreSQL that the test can cut and restore. */
async function startCuttableProxy(target: { host: string; port: number }) {
  let cut = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      open.add(a);
      a.on('close', () => {
        open.delete(a);
        b.destroy();
      });
      a.on('error', () => b.destroy());
      a.pipe(b);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    /** Drops every open connection and refuses new ones, as a dead network would. */
    cut() {
      cut = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      cut = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

t.test(
  'a database outage: 503s, the process stays up, and service resumes by itself',
  {
    skip: process.env.TEST_DATABASE_URL
      ? false
      : 'real PostgreSQL only (TEST_DATABASE_URL): the embedded database is in-process',
  },
  async (t) => {
    // The first app owns the test database and observes it directly; the second reaches the
    // same database through the proxy.
    const direct = await startTestApp(t);
    const url = new URL(direct.config.databaseUrl ?? '');
    const proxy = await startCuttableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    t.teardown(proxy.close);
    const proxiedUrl = new URL(url);
    proxiedUrl.hostname = '127.0.0.1';
    proxiedUrl.port = String(proxy.port);
    const { api } = await startTestApp(
      t,
      { DATABASE_URL: proxiedUrl.toString(), DB_CONNECT_TIMEOUT_MS: '2000' },
      (app) => {
        // A write that is half done when the network goes.
        app.post('/test/slow-write', { schema: { hide: true } }, async () => {
          await app.db.transaction().execute(async (trx) => {
            await trx
              .insertInto('partners')
              .values({ code: 'HALFWAY', name: 'Half-written federation', shortName: 'HALF' })
              .execute();
            await sql`select pg_sleep(2)`.execute(trx);
          });
          return { written: true };
        });
      },
    );
    const partner = { code: 'OUTAGE', name: 'Federation created across an outage' };
    const idempotent = { 'idempotency-key': 'outage-create-1' };
    t.equal((await api({ method: 'GET', url: '/health/ready' })).statusCode, 200);

    t.test('while the database is unreachable', async (t) => {
      const halfway = api({ method: 'POST', url: '/test/slow-write', key: null });
      await sleep(500);
      proxy.cut();
      const interrupted = await halfway;
      t.equal(interrupted.statusCode, 503, 'the interrupted write is a 503');
      t.equal(interrupted.json().type, 'urn:jahiz:problem:database-unavailable');

      const ready = await api({ method: 'GET', url: '/health/ready', key: null });
      t.equal(ready.statusCode, 503);
      t.match(ready.headers['content-type'], PROBLEM);

      const started = Date.now();
      const write = await api({
        method: 'POST',
        url: '/v1/partners',
        body: partner,
        headers: idempotent,
      });
      t.equal(write.statusCode, 503);
      t.match(write.headers['content-type'], PROBLEM);
      t.equal(write.headers['retry-after'], '5');
      t.equal(write.json().type, 'urn:jahiz:problem:database-unavailable');
      t.notMatch(write.body, /ECONN|127\.0\.0\.1|terminated/);
      t.ok(Date.now() - started < 6000, 'answered without hanging');

      const live = await api({ method: 'GET', url: '/health/live', key: null });
      t.equal(live.statusCode, 200, 'the process is up');

      for (const code of ['HALFWAY', 'OUTAGE']) {
        const seen = await direct.api({ method: 'GET', url: `/v1/partners/${code}` });
        t.equal(seen.statusCode, 404, `the failed write of ${code} left nothing behind`);
      }
    });

    t.test('after the database is back', async (t) => {
      proxy.restore();
      const ready = await api({ method: 'GET', url: '/health/ready', key: null });
      t.equal(ready.statusCode, 200, 'ready again at once, without a restart');

      const retried = await api({
        method: 'POST',
        url: '/v1/partners',
        body: partner,
        headers: idempotent,
      });
      t.equal(retried.statusCode, 201, 'the retry with the same Idempotency-Key creates');
      const again = await api({
        method: 'POST',
        url: '/v1/partners',
        body: partner,
        headers: idempotent,
      });
      t.equal(again.statusCode, 201);
      t.equal(again.headers['idempotent-replayed'], 'true', 'a further retry is a replay');
      t.same(again.json(), retried.json());

      const list = await direct.api({ method: 'GET', url: '/v1/partners?limit=100' });
      const codes = list.json().data.map((p: { code: string }) => p.code);
      t.equal(codes.filter((c: string) => c === 'OUTAGE').length, 1, 'created exactly once');
      t.notOk(codes.includes('HALFWAY'));
    });
  },
);
