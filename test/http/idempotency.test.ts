import { sql } from 'kysely';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/database.js';
import { purgeExpiredIdempotencyKeys } from '../../src/db/stores/idempotency.js';
import { ADMIN_KEY, startTestApp } from '../helpers/app.js';

/** Requests held inside /test/slow until the test releases them. */
const waiting: (() => void)[] = [];
const releaseSlow = () => {
  for (const release of waiting.splice(0)) release();
};
let failuresLeft = 0;

const { api, app, keyFor, config, database } = await startTestApp(t, {}, (app) => {
  app.post(
    '/test/slow',
    { config: { allow: ['admin'] }, schema: { hide: true } },
    async (_request, reply) => {
      await new Promise<void>((resolve) => waiting.push(resolve));
      return reply.status(201).send({ done: true });
    },
  );
  app.post(
    '/test/flaky',
    {
      config: { allow: ['admin'] },
      schema: {
        hide: true,
        headers: { type: 'object', properties: { 'x-colour': { type: 'string', enum: ['red'] } } },
      },
    },
    async () => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('transient');
      }
      return { ok: true, at: Date.now() };
    },
  );
});

const keyNamed = (name: string) => ({ name, role: 'reporting' });
const post = (url: string, body: unknown, idempotencyKey?: string, key?: string) =>
  api({
    method: 'POST',
    url,
    body,
    ...(key ? { key } : {}),
    ...(idempotencyKey === undefined ? {} : { headers: { 'idempotency-key': idempotencyKey } }),
  });

async function keysNamed(name: string): Promise<number> {
  const res = await api({ method: 'GET', url: '/v1/api-keys?limit=100' });
  return res.json().data.filter((k: { name: string }) => k.name === name).length;
}

async function records(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from idempotency_keys`.execute(
    app.db,
  );
  return Number(rows[0]?.n);
}

/** Waits until the request with this key has recorded itself. */
async function recordOf(key: string) {
  while (
    (await sql`select 1 from idempotency_keys where key = ${key}`.execute(app.db)).rows.length === 0
  ) {
    await new Promise((r) => setTimeout(r, 5));
  }
}

t.test('a repeat replays the first answer and creates nothing twice', async (t) => {
  const first = await post('/v1/api-keys', keyNamed('replay'), 'k-replay-1');
  t.equal(first.statusCode, 201);
  t.notOk(first.headers['idempotent-replayed']);
  const again = await post('/v1/api-keys', keyNamed('replay'), 'k-replay-1');
  t.equal(again.statusCode, 201);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal(again.body, first.body, 'the same body, byte for byte (the key shown once, again)');
  t.match(again.headers['content-type'], /^application\/json/);
  t.equal(await keysNamed('replay'), 1);

  const partner = await post('/v1/partners', { code: 'IDEM', name: 'Idem' }, 'k-partner');
  const replayed = await post('/v1/partners', { name: 'Idem', code: 'IDEM' }, 'k-partner');
  t.equal(partner.statusCode, 201);
  t.equal(replayed.statusCode, 201, 'key order in the body does not matter');
  t.equal(replayed.headers.etag, partner.headers.etag, 'the ETag is replayed');
  t.equal(replayed.body, partner.body);
  const withoutKey = await post('/v1/partners', { code: 'IDEM', name: 'Idem' });
  t.equal(withoutKey.statusCode, 409, 'without the header nothing is replayed');
});

t.test('the stored body is not readable from the database', async (t) => {
  const res = await post('/v1/api-keys', keyNamed('secret'), 'k-secret');
  const { key } = res.json();
  const { rows } = await sql<{
    body: string;
  }>`select response_body as body from idempotency_keys where key = 'k-secret'`.execute(app.db);
  t.equal(rows.length, 1);
  t.notOk(rows[0]?.body.includes(key), 'the new API key is not stored in clear');
});

t.test('the same key with another body is a 422', async (t) => {
  await post('/v1/api-keys', keyNamed('reuse a'), 'k-reuse');
  const res = await post('/v1/api-keys', keyNamed('reuse b'), 'k-reuse');
  t.equal(res.statusCode, 422);
  t.equal(res.json().type, 'urn:jahiz:problem:idempotency-key-reused');
  t.equal(await keysNamed('reuse b'), 0);
  const otherPath = await post('/v1/partners', { code: 'REUSE', name: 'Reuse' }, 'k-reuse');
  t.equal(otherPath.statusCode, 201, 'another path is another scope');
});

t.test('another API key is another scope', async (t) => {
  const otherAdmin = await keyFor('admin');
  const mine = await post('/v1/api-keys', keyNamed('scoped'), 'k-scope');
  const theirs = await post('/v1/api-keys', keyNamed('scoped'), 'k-scope', otherAdmin);
  t.equal(mine.statusCode, 201);
  t.equal(theirs.statusCode, 201);
  t.notOk(theirs.headers['idempotent-replayed']);
  t.not(theirs.json().id, mine.json().id);
  t.equal(await keysNamed('scoped'), 2);
});

t.test('concurrent identical requests create once', async (t) => {
  const answers = await Promise.all(
    Array.from({ length: 5 }, () => post('/v1/api-keys', keyNamed('concurrent'), 'k-conc')),
  );
  const created = answers.filter((r) => r.statusCode === 201 && !r.headers['idempotent-replayed']);
  const others = answers.filter((r) => !created.includes(r));
  t.equal(created.length, 1);
  for (const r of others) {
    if (r.statusCode === 409) {
      t.equal(r.json().type, 'urn:jahiz:problem:idempotency-in-progress');
      t.equal(r.headers['retry-after'], '1');
    } else {
      t.equal(r.statusCode, 201);
      t.equal(r.headers['idempotent-replayed'], 'true');
      t.equal(r.body, created[0]?.body);
    }
  }
  t.equal(await keysNamed('concurrent'), 1);
});

t.test('a request still running answers 409 to a repeat', async (t) => {
  const slow = post('/test/slow', {}, 'k-slow');
  await recordOf('k-slow');
  const busy = await post('/test/slow', {}, 'k-slow');
  t.equal(busy.statusCode, 409);
  t.equal(busy.json().type, 'urn:jahiz:problem:idempotency-in-progress');
  t.equal(busy.headers['retry-after'], '1');
  releaseSlow();
  t.equal((await slow).statusCode, 201);
  const after = await post('/test/slow', {}, 'k-slow');
  t.equal(after.statusCode, 201);
  t.equal(after.headers['idempotent-replayed'], 'true');
  t.same(after.json(), { done: true });
});

t.test('an abandoned running request may be taken over with the same body', async (t) => {
  const slow = post('/test/slow', {}, 'k-abandoned');
  await recordOf('k-abandoned');
  // As if the instance running it had died: its lock has run out.
  await sql`update idempotency_keys set locked_until = now() - interval '1 second'
    where key = 'k-abandoned'`.execute(app.db);
  const otherBody = await post('/test/slow', { other: true }, 'k-abandoned');
  t.equal(otherBody.statusCode, 422, 'not with another body');
  const takeover = post('/test/slow', {}, 'k-abandoned');
  while (waiting.length < 2) await new Promise((r) => setTimeout(r, 5));
  releaseSlow();
  const answers = await Promise.all([slow, takeover]);
  t.same(
    answers.map((r) => [r.statusCode, r.headers['idempotent-replayed']]),
    [
      [201, undefined],
      [201, undefined],
    ],
    'the takeover ran instead of waiting for a dead request',
  );
});

t.test('refused and failed requests are not kept', async (t) => {
  const invalid = await post('/v1/api-keys', { name: '', role: 'boss' }, 'k-invalid');
  t.equal(invalid.statusCode, 400);
  const refusedByHandler = await post('/v1/api-keys', { name: 'x', role: 'partner' }, 'k-invalid');
  t.equal(refusedByHandler.statusCode, 400, 'a 400 from the handler is not kept either');
  const valid = await post('/v1/api-keys', keyNamed('after invalid'), 'k-invalid');
  t.equal(valid.statusCode, 201);
  t.notOk(valid.headers['idempotent-replayed']);

  const partnerKey = await keyFor('partner', 'FENIP');
  const forbidden = await post('/v1/api-keys', keyNamed('forbidden'), 'k-forbidden', partnerKey);
  t.equal(forbidden.statusCode, 403);
  const unauthenticated = await api({
    method: 'POST',
    url: '/v1/api-keys',
    key: null,
    body: keyNamed('anonymous'),
    headers: { 'idempotency-key': 'k-anon' },
  });
  t.equal(unauthenticated.statusCode, 401);
  const { rows } = await sql`select 1 from idempotency_keys
    where key in ('k-forbidden', 'k-anon')`.execute(app.db);
  t.equal(rows.length, 0);

  failuresLeft = 1;
  const failed = await post('/test/flaky', {}, 'k-flaky');
  t.equal(failed.statusCode, 500);
  const retried = await post('/test/flaky', {}, 'k-flaky');
  t.equal(retried.statusCode, 200, 'a 5xx is not kept: the retry runs');
  t.notOk(retried.headers['idempotent-replayed']);
  const replayed = await post('/test/flaky', {}, 'k-flaky');
  t.equal(replayed.headers['idempotent-replayed'], 'true');
  t.equal(replayed.body, retried.body);
});

t.test('requests without the header are untouched', async (t) => {
  const before = await records();
  t.equal((await post('/v1/api-keys', keyNamed('plain'))).statusCode, 201);
  t.equal((await post('/v1/api-keys', keyNamed('plain'))).statusCode, 201);
  t.equal(await keysNamed('plain'), 2);
  t.equal(await records(), before);
});

t.test('a malformed key is a 400 naming the header', async (t) => {
  for (const bad of ['', 'a b', 'x'.repeat(256), 'tab\there']) {
    const res = await post('/v1/api-keys', keyNamed('bad header'), bad);
    t.equal(res.statusCode, 400, JSON.stringify(bad));
    t.same(
      res.json().errors?.map((e: { parameter?: string }) => e.parameter),
      ['idempotency-key'],
    );
  }
  t.equal(await keysNamed('bad header'), 0);
  const longest = await post('/v1/api-keys', keyNamed('long key'), `~${'x'.repeat(254)}`);
  t.equal(longest.statusCode, 201, '255 visible characters are fine');
});

t.test("a route's own headers keep working", async (t) => {
  const res = await api({
    method: 'POST',
    url: '/test/flaky',
    body: {},
    headers: { 'x-colour': 'blue', 'idempotency-key': 'k-colour' },
  });
  t.equal(res.statusCode, 400);
  t.same(
    res.json().errors.map((e: { parameter?: string }) => e.parameter),
    ['x-colour'],
  );
});

t.test('expired records are purged and their keys free again', async (t) => {
  await post('/v1/api-keys', keyNamed('expiring'), 'k-expire');
  await sql`update idempotency_keys set expires_at = now() - interval '1 second'
    where key = 'k-expire'`.execute(app.db);
  const reused = await post('/v1/api-keys', keyNamed('expiring 2'), 'k-expire');
  t.equal(reused.statusCode, 201, 'an expired key is a new request, even before the purge');
  t.notOk(reused.headers['idempotent-replayed']);
  await sql`update idempotency_keys set expires_at = now() - interval '1 second'
    where key in ('k-expire', 'k-replay-1')`.execute(app.db);
  const before = await records();
  t.equal(await purgeExpiredIdempotencyKeys(app.db), 2);
  t.equal(await records(), before - 2);
  t.equal(await purgeExpiredIdempotencyKeys(app.db), 0);
});

t.test('every POST documents the header', async (t) => {
  type Parameter = { in?: string; name?: string; $ref?: string };
  const doc = app.swagger() as {
    paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
    components: { parameters: Record<string, Parameter> };
  };
  // Written once under components.parameters and referenced (src/http/schemas/openapi-shared.ts).
  const resolved = (p: Parameter) =>
    p.$ref ? doc.components.parameters[p.$ref.replace('#/components/parameters/', '')] : p;
  const posts = Object.values(doc.paths).flatMap((item) => (item.post ? [item.post] : []));
  t.ok(posts.length >= 2);
  for (const operation of posts) {
    t.ok(
      operation.parameters
        ?.map(resolved)
        .some((p) => p?.in === 'header' && p.name === 'idempotency-key'),
      JSON.stringify(operation.parameters),
    );
  }
});

t.test('records survive a restart on the same database', async (t) => {
  const first = await post('/v1/api-keys', keyNamed('restart'), 'k-restart');
  t.equal(first.statusCode, 201);
  await app.close();
  await database.close();
  const reopened = await openDatabase(config);
  const restarted = await buildApp({ config, database: reopened, loggerInstance: app.log });
  t.teardown(async () => {
    await restarted.close();
    await reopened.close();
  });
  await restarted.ready();
  const again = await restarted.inject({
    method: 'POST',
    url: '/v1/api-keys',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'idempotency-key': 'k-restart' },
    payload: keyNamed('restart'),
  });
  t.equal(again.statusCode, 201);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal(again.body, first.body);
});
