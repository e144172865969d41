import fc from 'fast-check';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/database.js';
import { isPublicAddress } from '../../src/modules/webhooks/address.js';
import { MAX_ATTEMPTS, retryDelayMs } from '../../src/modules/webhooks/schedule.js';
import { send } from '../../src/modules/webhooks/sender.js';
import { deliverDue } from '../../src/modules/webhooks/worker.js';
import { newMember } from '../assessments/fixtures.js';
import { startTestApp } from '../helpers/app.js';
import { startReceiver } from './receiver.js';

const INSECURE = { WEBHOOK_ALLOW_INSECURE_URLS: 'true', WEBHOOK_TIMEOUT_MS: '2000' };

t.test('retry schedule: exponential, jittered, more than 3 days', async (t) => {
  const total = (random: () => number) => {
    let sum = 0;
    for (let next = 2; next <= MAX_ATTEMPTS; next++) sum += retryDelayMs(next, 5000, random);
    return sum;
  };
  t.ok(
    total(() => 0) >= 72 * 3600_000,
    `${(total(() => 0) / 3600_000).toFixed(1)} h without jitter`,
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: MAX_ATTEMPTS - 1 }),
      fc.integer({ min: 1, max: 60_000 }),
      fc.double({ min: 0, max: 0.999, noNaN: true }),
      (next, base, r) => {
        const delay = retryDelayMs(next, base, () => r);
        const plain = retryDelayMs(next, base, () => 0);
        return (
          delay >= plain &&
          delay <= plain * 1.25 + 1 &&
          plain <= retryDelayMs(next + 1, base, () => 0)
        );
      },
    ),
  );
  t.equal(
    retryDelayMs(2, 1, () => 0),
    1,
    'scaled by the base',
  );
});

t.test('SSRF: only public addresses', async (t) => {
  for (const inner of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '2002:a00:1::1',
    'ff02::1',
  ]) {
    t.notOk(isPublicAddress(inner), `${inner} is refused`);
  }
  for (const open of ['93.184.215.14', '8.8.8.8', '2a00:1450:4007:80e::200e', '::ffff:8.8.8.8']) {
    t.ok(isPublicAddress(open), `${open} is public`);
  }

  const { api } = await startTestApp(t);
  for (const url of [
    'http://93.184.215.14/hook',
    'https://127.0.0.1/hook',
    'https://localhost:8443/hook',
    'https://[::1]/hook',
    'https://10.0.0.8/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.1.1/hook',
    'https://[fd12::1]/hook',
    'https://[::ffff:192.168.0.1]/hook',
    'https://user:pass@93.184.215.14/hook',
    'not a url',
  ]) {
    const res = await api({
      method: 'POST',
      url: '/v1/webhooks',
      body: { url, types: ['member.created'] },
    });
    t.equal(res.statusCode, 400, `${url} → 400`);
    t.match(res.json().errors, [{ pointer: '/url' }]);
  }
  const ok = await api({
    method: 'POST',
    url: '/v1/webhooks',
    body: { url: 'https://93.184.215.14/hook', types: ['member.created'] },
  });
  t.equal(ok.statusCode, 201, 'https to a public address is accepted');

  // At delivery the host is resolved again and every address checked before connecting: a name
  // that resolves to an inner address now (DNS rebinding) is refused without a connection.
  const receiver = await startReceiver(t);
  const port = new URL(receiver.url).port;
  for (const url of [
    `http://localhost:${port}/x`,
    `http://127.0.0.1:${port}/x`,
    `http://[::ffff:127.0.0.1]:${port}/x`,
  ]) {
    const outcome = await send({ url, headers: {}, body: '{}' }, { allowInsecure: false }, 1000);
    t.equal(outcome.statusCode, null, `${url} refused at delivery`);
    t.match(outcome.error, /not a public address|non-public address/);
  }
  t.equal(receiver.received.length, 0, 'nothing reached the inner receiver');
});

t.test('several instances never send the same attempt twice', async (t) => {
  const { api, database, config } = await startTestApp(t, INSECURE);
  const receiver = await startReceiver(t);
  const res = await api({
    method: 'POST',
    url: '/v1/webhooks',
    body: { url: receiver.url, types: ['member.created'] },
  });
  t.equal(res.statusCode, 201);
  const members = 24;
  for (let i = 0; i < members; i++) await newMember(api, 'FENIP', { name: `Coopérative ${i}` });
  // A second instance: another connection pool on the same database (PostgreSQL); the embedded
  // database has one connection per process, where the instances share it.
  const other = database.mode === 'postgres' ? await openDatabase(config) : database;
  t.teardown(() => (other === database ? undefined : other.close()));
  const instance = async (db: typeof database.db) => {
    while ((await deliverDue(db, { ...config.webhooks, concurrency: 3 })) > 0);
  };
  await Promise.all([
    instance(database.db),
    instance(other.db),
    instance(database.db),
    instance(other.db),
  ]);
  const ids = receiver.received.map((r) => r.headers['webhook-id']);
  t.equal(ids.length, members, 'each event sent once');
  t.equal(new Set(ids).size, members, 'no event twice');
});

t.test(
  'the worker runs while the service listens; pending deliveries survive a restart',
  async (t) => {
    const receiver = await startReceiver(t);
    const first = await startTestApp(t, { ...INSECURE, WEBHOOK_WORKER: 'false' });
    const res = await first.api({
      method: 'POST',
      url: '/v1/webhooks',
      body: { url: receiver.url, types: ['member.created'] },
    });
    t.equal(res.statusCode, 201);
    await newMember(first.api, 'FENIP', { name: 'Coopérative avant redémarrage' });
    await first.app.listen({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => setTimeout(r, 200));
    t.equal(receiver.received.length, 0, 'WEBHOOK_WORKER=false: this instance sends nothing');
    await first.app.close();
    await first.database.close();

    // The service again, on the same database, with its worker.
    const config = {
      ...first.config,
      webhooks: { ...first.config.webhooks, worker: true, pollMs: 20 },
    };
    const database = await openDatabase(config);
    const app = await buildApp({ config, database, loggerInstance: first.app.log as never });
    t.teardown(async () => {
      await app.close();
      await database.close();
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    for (let i = 0; i < 200 && receiver.received.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    t.equal(receiver.received.length, 1, 'the delivery pending before the restart went out');
    t.match(JSON.parse(receiver.received[0]?.body ?? '{}'), { type: 'member.created' });

    // Closing waits for an attempt in flight, which the timeout bounds.
    receiver.answer('hang');
    await newMember(
      async (r) =>
        app.inject({
          method: r.method,
          url: r.url,
          payload: r.body as never,
          headers: { authorization: `Bearer ${config.adminKey}` },
        }),
      'FENIP',
      { name: 'Coopérative en vol' },
    );
    for (let i = 0; i < 200 && receiver.received.length < 2; i++)
      await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await app.close();
    t.ok(
      Date.now() - started < config.webhooks.timeoutMs + 1000,
      'close waited at most the delivery timeout',
    );
  },
);
