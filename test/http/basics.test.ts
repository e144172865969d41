import t from 'tap';
import { ADMIN_KEY, startTestApp } from '../helpers/app.js';

const PROBLEM = /^application\/problem\+json/;

t.test('HTTP basics', async (t) => {
  const { api, logs } = await startTestApp(t, {}, (app) => {
    app.get('/test/boom', { schema: { hide: true } }, async () => {
      throw new Error('secret internals: select * from api_keys');
    });
  });

  t.test('an unknown route is a 404 problem', async (t) => {
    const res = await api({ method: 'GET', url: '/v1/nope' });
    t.equal(res.statusCode, 404);
    t.match(res.headers['content-type'], PROBLEM);
    t.same(res.json(), {
      type: 'urn:jahiz:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: 'No route GET /v1/nope.',
    });
  });

  t.test('a 500 tells nothing of the internals', async (t) => {
    const res = await api({
      method: 'GET',
      url: '/test/boom',
      headers: { 'x-request-id': 'req-500' },
    });
    t.equal(res.statusCode, 500);
    t.match(res.headers['content-type'], PROBLEM);
    t.notMatch(res.body, /secret|select|stack|at /);
    t.equal(
      res.json().detail,
      'An unexpected error occurred; it was logged with request id req-500.',
    );
    const logged = logs.find((l) => l.requestId === 'req-500' && l.msg === 'request failed');
    t.equal(logged?.level, 50, 'logged as an error, with its stack');
    t.match((logged?.err as { stack?: string })?.stack, /secret internals/);
  });

  t.test('validation lists every problem with a pointer and never coerces', async (t) => {
    const res = await api({
      method: 'POST',
      url: '/v1/partners',
      body: { code: 'bad code', name: 5, colour: 'red' },
    });
    t.equal(res.statusCode, 400);
    t.match(res.headers['content-type'], PROBLEM);
    const body = res.json();
    t.equal(body.type, 'urn:jahiz:problem:validation');
    const pointers = body.errors.map((e: { pointer: string }) => e.pointer).sort();
    t.same(pointers, ['/code', '/colour', '/name']);
    const list = await api({ method: 'GET', url: '/v1/partners?limit=100' });
    t.equal(list.json().data.length, 3, 'nothing was written');
  });

  t.test('query parameters out of range name the parameter', async (t) => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc']) {
      const res = await api({ method: 'GET', url: `/v1/partners?${query}` });
      t.equal(res.statusCode, 400, query);
      t.equal(res.json().errors[0].parameter, 'limit', query);
    }
    const cursor = await api({ method: 'GET', url: '/v1/partners?cursor=not-a-cursor' });
    t.equal(cursor.statusCode, 400);
    t.same(cursor.json().errors, [{ parameter: 'cursor', message: 'is malformed' }]);
  });

  t.test('cursor paging walks every row once', async (t) => {
    const first = await api({ method: 'GET', url: '/v1/partners?limit=2' });
    t.same(
      first.json().data.map((p: { code: string }) => p.code),
      ['AMITH', 'ASMEX'],
    );
    const cursor = first.json().nextCursor;
    t.type(cursor, 'string');
    const second = await api({ method: 'GET', url: `/v1/partners?limit=2&cursor=${cursor}` });
    t.same(
      second.json().data.map((p: { code: string }) => p.code),
      ['FENIP'],
    );
    t.equal(second.json().nextCursor, null);
  });

  t.test('malformed JSON, wrong media type and oversized bodies are 4xx problems', async (t) => {
    const json = await api({
      method: 'POST',
      url: '/v1/partners',
      body: '{"code": ',
      headers: { 'content-type': 'application/json' },
    });
    t.equal(json.statusCode, 400);
    t.match(json.headers['content-type'], PROBLEM);
    t.equal(json.json().detail, 'The request body is not valid JSON.');

    const text = await api({
      method: 'POST',
      url: '/v1/partners',
      body: 'code=X',
      headers: { 'content-type': 'text/plain' },
    });
    t.equal(text.statusCode, 415);
    t.match(text.headers['content-type'], PROBLEM);

    const big = await api({
      method: 'POST',
      url: '/v1/partners',
      body: JSON.stringify({ code: 'BIG', name: 'x'.repeat(1024 * 1024 + 10) }),
      headers: { 'content-type': 'application/json' },
    });
    t.equal(big.statusCode, 413);
    t.match(big.headers['content-type'], PROBLEM);
  });

  t.test('authentication and roles', async (t) => {
    const none = await api({ method: 'GET', url: '/v1/partners', key: null });
    t.equal(none.statusCode, 401);
    t.match(none.headers['www-authenticate'], /^Bearer/);
    t.match(none.headers['content-type'], PROBLEM);
    const unknown = await api({ method: 'GET', url: '/v1/partners', key: 'jz_not_a_real_key' });
    t.equal(unknown.statusCode, 401);
    t.match(unknown.headers['www-authenticate'], /invalid_token/);

    const created = await api({
      method: 'POST',
      url: '/v1/api-keys',
      body: { name: 'fenip sync', role: 'partner', partnerCode: 'FENIP' },
    });
    t.equal(created.statusCode, 201);
    const partnerKey = created.json().key;
    t.match(partnerKey, /^jz_/);
    t.equal(created.json().partnerCode, 'FENIP');
    const listed = await api({ method: 'GET', url: '/v1/api-keys' });
    t.notMatch(listed.body, partnerKey, 'the key is never listed');

    const forbidden = await api({
      method: 'POST',
      url: '/v1/partners',
      key: partnerKey,
      body: { code: 'NEW', name: 'New federation' },
    });
    t.equal(forbidden.statusCode, 403);
    const readable = await api({ method: 'GET', url: '/v1/partners/FENIP', key: partnerKey });
    t.equal(readable.statusCode, 200);
    t.equal(readable.headers.etag, '"1"');

    const revoked = await api({ method: 'DELETE', url: `/v1/api-keys/${created.json().id}` });
    t.equal(revoked.statusCode, 200);
    t.type(revoked.json().revokedAt, 'string');
    const after = await api({ method: 'GET', url: '/v1/partners', key: partnerKey });
    t.equal(after.statusCode, 401);

    const missingPartner = await api({
      method: 'POST',
      url: '/v1/api-keys',
      body: { name: 'x', role: 'partner', partnerCode: 'NOPE' },
    });
    t.equal(missingPartner.statusCode, 400);
    t.same(missingPartner.json().errors, [
      { pointer: '/partnerCode', message: 'names no partner (NOPE)' },
    ]);
  });

  t.test('partners: create, conflict, get', async (t) => {
    const created = await api({
      method: 'POST',
      url: '/v1/partners',
      body: { code: 'AMIP', name: 'Association Marocaine des Industries de la Pêche' },
    });
    t.equal(created.statusCode, 201);
    t.match(created.json(), { code: 'AMIP', shortName: 'AMIP', version: 1 });
    const again = await api({
      method: 'POST',
      url: '/v1/partners',
      body: { code: 'AMIP', name: 'x' },
    });
    t.equal(again.statusCode, 409);
    const missing = await api({ method: 'GET', url: '/v1/partners/NOPE' });
    t.equal(missing.statusCode, 404);
  });

  t.test('request ids are echoed or generated, and in the logs; keys never are', async (t) => {
    const given = await api({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'abc-123' },
    });
    t.equal(given.headers['x-request-id'], 'abc-123');
    const generated = await api({ method: 'GET', url: '/health/live' });
    t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/);
    const hostile = await api({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'a b\u00e9' },
    });
    t.not(hostile.headers['x-request-id'], 'a b\u00e9');
    t.ok(
      logs.some((l) => l.requestId === 'abc-123'),
      'the request id is in the log lines',
    );
    t.notOk(JSON.stringify(logs).includes(ADMIN_KEY), 'no API key in the logs');
  });
});
