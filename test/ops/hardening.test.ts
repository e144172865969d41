import t from 'tap';
import { startTestApp } from '../helpers/app.js';

const ALLOWED = 'https://portal.asmex.example';

t.test('security headers, CORS and metrics', async (t) => {
  const { api, keyFor } = await startTestApp(t, {
    CORS_ORIGINS: `${ALLOWED}, http://localhost:5173`,
  });

  t.test('/v1 responses carry the security headers and a strict policy', async (t) => {
    for (const key of [undefined, null]) {
      const res = await api({ method: 'GET', url: '/v1/partners', key });
      t.equal(res.statusCode, key === null ? 401 : 200);
      t.equal(res.headers['x-content-type-options'], 'nosniff');
      t.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
      t.match(res.headers['strict-transport-security'], /max-age=\d+/);
      t.equal(res.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'");
      t.notOk(res.headers['x-powered-by']);
    }
  });

  t.test('the docs page still answers, with a policy that lets Swagger UI run', async (t) => {
    const page = await api({ method: 'GET', url: '/docs/', key: null });
    t.equal(page.statusCode, 200);
    t.match(page.headers['content-type'], /text\/html/);
    const csp = String(page.headers['content-security-policy']);
    t.match(csp, /script-src 'self'/);
    t.match(csp, /style-src 'self'/);
    const script = await api({
      method: 'GET',
      url: '/docs/static/swagger-ui-bundle.js',
      key: null,
    });
    t.equal(script.statusCode, 200);
    const spec = await api({ method: 'GET', url: '/openapi.json', key: null });
    t.equal(spec.statusCode, 200);
    t.notOk(spec.json().paths['/metrics'], 'metrics are not in the contract');
  });

  t.test('an allowed origin gets CORS headers, another does not', async (t) => {
    const allowed = await api({ method: 'GET', url: '/v1/partners', headers: { origin: ALLOWED } });
    t.equal(allowed.statusCode, 200);
    t.equal(allowed.headers['access-control-allow-origin'], ALLOWED);
    t.match(allowed.headers['access-control-expose-headers'], /etag/);
    t.match(allowed.headers.vary, /Origin/);

    const refused = await api({
      method: 'GET',
      url: '/v1/partners',
      headers: { origin: 'https://evil.example' },
    });
    t.equal(refused.statusCode, 200, 'the server answers; the browser withholds it');
    t.notOk(refused.headers['access-control-allow-origin']);

    const unauthenticated = await api({
      method: 'GET',
      url: '/v1/partners',
      key: null,
      headers: { origin: ALLOWED },
    });
    t.equal(unauthenticated.statusCode, 401);
    t.equal(unauthenticated.headers['access-control-allow-origin'], ALLOWED, 'a 401 is readable');

    const preflight = await api({
      method: 'OPTIONS',
      url: '/v1/partners',
      key: null,
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key',
      },
    });
    t.equal(preflight.statusCode, 204);
    t.equal(preflight.headers['access-control-allow-origin'], ALLOWED);
    t.match(preflight.headers['access-control-allow-methods'], /POST/);
    t.match(preflight.headers['access-control-allow-headers'], /idempotency-key/);

    const otherPreflight = await api({
      method: 'OPTIONS',
      url: '/v1/partners',
      key: null,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    t.notOk(otherPreflight.headers['access-control-allow-origin']);
  });

  t.test('metrics: admin key only, counting requests by route template', async (t) => {
    const none = await api({ method: 'GET', url: '/metrics', key: null });
    t.equal(none.statusCode, 401);
    t.equal(none.json().type, 'urn:jahiz:problem:unauthorized');
    const partner = await api({
      method: 'GET',
      url: '/metrics',
      key: await keyFor('partner', 'FENIP'),
    });
    t.equal(partner.statusCode, 403);

    t.equal((await api({ method: 'GET', url: '/v1/partners/FENIP' })).statusCode, 200);
    t.equal((await api({ method: 'GET', url: '/v1/partners/NOPE' })).statusCode, 404);
    const res = await api({ method: 'GET', url: '/metrics' });
    t.equal(res.statusCode, 200);
    t.match(res.headers['content-type'], /^text\/plain/);
    const count = (labels: string) =>
      Number(new RegExp(`^http_requests_total\\{${labels}\\} (\\d+)$`, 'm').exec(res.body)?.[1]);
    t.equal(count('method="GET",route="/v1/partners/:code",status="200"'), 1);
    t.equal(count('method="GET",route="/v1/partners/:code",status="404"'), 1);
    t.ok(count('method="GET",route="/v1/partners",status="200"') >= 3);
    t.match(
      res.body,
      /^http_request_duration_seconds_bucket\{le="0.05",method="GET",route="\/v1\/partners\/:code",status="200"\} \d+$/m,
    );
    t.match(res.body, /^db_pool_connections_total \d+$/m);
    t.match(res.body, /^db_pool_connections_idle \d+$/m);
    t.match(res.body, /^db_pool_requests_waiting 0$/m);
    t.match(res.body, /^process_resident_memory_bytes \d+/m);
    t.notMatch(res.body, /route="\/v1\/partners\/FENIP"/, 'labels are templates, not paths');
  });
});

t.test('an invalid CORS_ORIGINS stops the configuration', async (t) => {
  const { loadConfig } = await import('../../src/config.js');
  for (const bad of ['portal.asmex.example', 'https://a.example/path', '*']) {
    t.throws(() => loadConfig({ CORS_ORIGINS: bad }), { message: /CORS_ORIGINS must match/ }, bad);
  }
  t.same(loadConfig({ CORS_ORIGINS: 'https://a.example, http://b.example:8080' }).corsOrigins, [
    'https://a.example',
    'http://b.example:8080',
  ]);
  t.same(loadConfig({}).corsOrigins, []);
});
