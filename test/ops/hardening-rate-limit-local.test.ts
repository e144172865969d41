import t from 'tap';
import { startTestApp } from '../helpers/app.js';

// A limit of 300 leaves an exact zone of 50 (the larger of a tenth and 50): the first 249
// requests of the window are counted in memory between flushes, the rest in the database.
const LIMIT = 300;

t.test('a single instance counts exactly while it pre-counts in memory', async (t) => {
  const { api, keyFor, app } = await startTestApp(t, {
    RATE_LIMIT_MAX: String(LIMIT),
    RATE_LIMIT_WINDOW_MS: '3600000',
  });
  const key = await keyFor('reporting');
  const remaining: number[] = [];
  for (let i = 0; i < LIMIT; i += 1) {
    const res = await api({ method: 'GET', url: '/v1/partners/FENIP', key });
    if (res.statusCode !== 200) t.fail(`request ${i + 1} answered ${res.statusCode}`);
    remaining.push(Number(res.headers['ratelimit-remaining']));
  }
  t.same(
    remaining,
    Array.from({ length: LIMIT }, (_, i) => LIMIT - 1 - i),
    'RateLimit-Remaining counts down by one on every request',
  );
  const refused = await api({ method: 'GET', url: '/v1/partners/FENIP', key });
  t.equal(refused.statusCode, 429, 'request 301 is refused');
  t.equal(refused.json().type, 'urn:jahiz:problem:rate-limited');

  // Whatever was counted in memory reaches the shared counter (flushed every second; a loaded
  // machine may delay the timer, so wait for it rather than for a fixed time).
  let busiest = 0;
  for (let tries = 0; tries < 40 && busiest < LIMIT; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const counters = await app.db
      .selectFrom('rateLimitBuckets')
      .select('hits')
      .orderBy('hits', 'desc')
      .execute();
    busiest = counters[0]?.hits ?? 0;
  }
  t.ok(busiest >= LIMIT, `the shared counter holds every request (${busiest})`);
});
