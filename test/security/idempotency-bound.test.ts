import { randomBytes } from 'node:crypto';
import t from 'tap';
import { MAX_STORED_BODY_BYTES } from '../../src/http/plugins/idempotency.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { memberBody } from '../members/fixtures.js';

async function stored(app: TestApp, key: string) {
  return app.app.db
    .selectFrom('idempotencyKeys')
    .select(['responseBody', 'responseWithheld', 'subject'])
    .where('key', '=', key)
    .execute();
}

function rows(count: number) {
  return Array.from({ length: count }, (_, i) =>
    memberBody({ externalRef: `B-${i}`, name: `Coopérative ${i} ${'x'.repeat(150)}` }),
  );
}

t.test('a dry run is not kept; a real import is kept compressed under the bound', async (t) => {
  const app = await startTestApp(t);
  const dry = {
    method: 'POST' as const,
    url: '/v1/members/bulk',
    body: { members: rows(400), dryRun: true },
    headers: { 'idempotency-key': 'dry' },
  };
  t.ok(JSON.stringify(dry.body).length > 150_000, 'a large request');
  const first = await app.api(dry);
  t.equal(first.statusCode, 200);
  t.same(await stored(app, 'dry'), [], 'nothing stored for a dry run');
  const again = await app.api(dry);
  t.equal(again.statusCode, 200);
  t.equal(again.headers['idempotent-replayed'], undefined, 'computed again');

  const real = { ...dry, body: { members: rows(400) }, headers: { 'idempotency-key': 'real' } };
  const applied = await app.api(real);
  t.equal(applied.statusCode, 200);
  const [record] = await stored(app, 'real');
  const size = record?.responseBody?.length ?? Number.POSITIVE_INFINITY;
  t.ok(size <= MAX_STORED_BODY_BYTES, `stored ${size} bytes`);
  t.ok(size < applied.body.length / 2, `compressed: ${size} < ${applied.body.length} / 2`);
  const replayed = await app.api(real);
  t.equal(replayed.headers['idempotent-replayed'], 'true');
  t.equal(replayed.body, applied.body, 'the replay is the first answer');
});

t.test('a response beyond the bound is not kept: a repeat is a 410', async (t) => {
  const app = await startTestApp(t, {}, (app) => {
    app.post('/v1/test-large', { config: { allow: ['admin'] } }, async (_request, reply) =>
      reply.status(201).send({ id: 'x', noise: randomBytes(100_000).toString('base64') }),
    );
  });
  const request = {
    method: 'POST' as const,
    url: '/v1/test-large',
    body: {},
    headers: { 'idempotency-key': 'large' },
  };
  t.equal((await app.api(request)).statusCode, 201);
  t.match(await stored(app, 'large'), [{ responseBody: null, responseWithheld: 'too-large' }]);
  const repeat = await app.api(request);
  t.equal(repeat.statusCode, 410);
  t.match(repeat.json(), { type: 'urn:jahiz:problem:idempotent-response-too-large' });
});
