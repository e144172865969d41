import { readFile } from 'node:fs/promises';
import t from 'tap';
import { startTestApp } from './helpers/app.js';

t.test('the committed openapi.yaml is what the service serves', async (t) => {
  const { api } = await startTestApp(t);
  const served = await api({ method: 'GET', url: '/openapi.yaml', key: null });
  t.equal(served.statusCode, 200);
  t.match(served.headers['content-type'], /yaml/);
  const committed = await readFile(new URL('../openapi.yaml', import.meta.url), 'utf8');
  t.equal(served.body, committed, 'run `npm run openapi` and commit openapi.yaml');
  const json = await api({ method: 'GET', url: '/openapi.json', key: null });
  t.equal(json.json().openapi, '3.1.0');
});

t.test(
  'every /v1 operation is documented with an operationId, a tag and the bearer scheme',
  async (t) => {
    const { api } = await startTestApp(t);
    const doc = (await api({ method: 'GET', url: '/openapi.json', key: null })).json();
    for (const [path, item] of Object.entries(
      doc.paths as Record<
        string,
        Record<string, { operationId?: string; tags?: string[]; security?: unknown }>
      >,
    )) {
      for (const [method, op] of Object.entries(item)) {
        t.ok(op.operationId, `${method} ${path} has an operationId`);
        t.ok(op.tags?.length, `${method} ${path} has a tag`);
        if (path.startsWith('/v1'))
          t.same(op.security, [{ apiKey: [] }], `${method} ${path} needs a key`);
      }
    }
  },
);

t.test('the docs page is served', async (t) => {
  const { api } = await startTestApp(t);
  const res = await api({ method: 'GET', url: '/docs/', key: null });
  t.equal(res.statusCode, 200);
  t.match(res.body, /swagger/i);
});
