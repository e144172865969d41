import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import t from 'tap';
import { ADMIN_KEY, startTestApp } from '../helpers/app.js';

const REPORT = '/v1/reports/kpis?period=2025&by=partner';

/** Polls `check` every 20 ms for up to 10 s. */
async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 500 && !check(); i++) await sleep(20);
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

t.test('a queued report whose client hangs up leaves the queue to the next caller', async (t) => {
  const { app, api, database, logs } = await startTestApp(t, {
    REPORT_CONCURRENCY: '1',
    REPORT_QUEUE_LENGTH: '1',
    REPORT_QUEUE_WAIT_MS: '60000',
    DB_POOL_MAX: '2',
  });
  t.equal((await api({ method: 'GET', url: '/v1/partners' })).statusCode, 200, 'key cached');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;

  // Every connection of the pool held: the report given the slot waits in it.
  const pool = database.pool as pg.Pool;
  const held: pg.PoolClient[] = [];
  for (let i = 0; i < (pool.options.max ?? 1); i++) held.push(await pool.connect());
  const release = () => {
    for (const client of held.splice(0)) client.release();
  };
  t.teardown(release);
  const first = api({ method: 'GET', url: REPORT });
  await until(() => pool.waitingCount > 0, 'the first report to wait for a connection');

  // The second waits in the queue; its client hangs up.
  const second = http.get(`http://127.0.0.1:${port}${REPORT}`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  second.on('error', () => undefined);
  // Given time to reach the queue; had it not, it would find its signal aborted on arrival.
  await sleep(200);
  second.destroy();
  await until(
    () => logs.some((line) => line.msg === 'the client left while its request waited for a slot'),
    'the abandoned report to leave the queue',
  );

  // Its place is free: a third caller waits instead of being refused with 503.
  const third = api({ method: 'GET', url: REPORT });
  await sleep(200);
  release();
  t.equal((await first).statusCode, 200, 'the running report answers');
  t.equal((await third).statusCode, 200, 'the caller after the abandoned one is answered');
});
