import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { startTestApp } from '../helpers/app.js';

/** Keeps the event loop busy in chunks, so each delay sample is about `chunkMs`. */
async function saturate(totalMs: number, chunkMs: number) {
  const end = Date.now() + totalMs;
  while (Date.now() < end) {
    const chunkEnd = Date.now() + chunkMs;
    while (Date.now() < chunkEnd) {
      // busy: the event loop cannot run
    }
    await sleep(0);
  }
}

/** Repeats a request while it is shed, for up to 6 s: samples are taken once a second. */
async function untilServed(send: () => Promise<{ statusCode: number }>) {
  let res = await send();
  for (let i = 0; i < 60 && res.statusCode === 503; i++) {
    await sleep(100);
    res = await send();
  }
  return res;
}

t.test('a saturated event loop sheds requests with 503 problems', async (t) => {
  const { api, logs } = await startTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '300' }, (app) => {
    // Never shed itself: the test must be able to saturate whatever the last sample said.
    const config = { pressureHandler: () => undefined };
    app.post('/test/saturate', { schema: { hide: true }, config }, async () => {
      // Longer than two one-second samples: at least one sample sees only the busy loop.
      await saturate(3_000, 600);
      return { saturated: true };
    });
  });

  // Starting an app is busy work too: wait for a calm sample (at most a few seconds).
  const calm = await untilServed(() => api({ method: 'GET', url: '/v1/partners' }));
  t.equal(calm.statusCode, 200, 'an idle process serves');

  t.equal((await api({ method: 'POST', url: '/test/saturate', key: null })).statusCode, 200);
  const shed = await api({ method: 'GET', url: '/v1/partners' });
  t.equal(shed.statusCode, 503);
  t.match(shed.headers['content-type'], /^application\/problem\+json/);
  t.equal(shed.headers['retry-after'], '5');
  t.same(shed.json(), {
    type: 'urn:jahiz:problem:overloaded',
    title: 'Overloaded',
    status: 503,
    detail: 'The service is overloaded; try again shortly.',
  });
  const notServed = logs.filter((l) => l.msg === 'request not served now');
  t.ok(notServed.length > 0, 'the shedding is logged');
  t.same(
    notServed.map((l) => [l.level, l.type]),
    notServed.map(() => [40, 'overloaded']),
    'as warnings (not errors: nothing failed)',
  );
  t.notOk(
    logs.some((l) => l.msg === 'request failed'),
    'no request is logged as failed',
  );
  const live = await api({ method: 'GET', url: '/health/live', key: null });
  t.equal(live.statusCode, 200, 'liveness is never shed');
  const ready = await api({ method: 'GET', url: '/health/ready', key: null });
  t.equal(ready.statusCode, 503, 'readiness is shed: a load balancer routes elsewhere meanwhile');

  // Once a calm sample has been taken, the service serves again by itself.
  const recovered = await untilServed(() => api({ method: 'GET', url: '/v1/partners' }));
  t.equal(recovered.statusCode, 200);
});

t.test('a busy start-up does not shed the first callers of an idle process', async (t) => {
  const { api } = await startTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '20' }, (app) => {
    // A start-up heavier than any sample: the loop is blocked for 1.5 s just before ready.
    app.addHook('onReady', async () => {
      const end = Date.now() + 1_500;
      while (Date.now() < end) {
        // busy
      }
    });
  });
  // The sampler's first turn after the block sees the start-up's delay.
  await sleep(200);
  const first = await api({ method: 'GET', url: '/v1/partners' });
  t.equal(first.statusCode, 200, 'the first request after start is served');
  const ready = await api({ method: 'GET', url: '/health/ready', key: null });
  t.equal(ready.statusCode, 200, 'and the readiness probe says ready');
});
