/**
 * The problem types (src/http/schemas/problem-types.ts): each one is something the code throws, the
 * contract lists each with its status, and what the framework raises maps onto the list.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import {
  PROBLEM_TYPES,
  type ProblemType,
  problemTypesTable,
} from '../../src/http/schemas/problem-types.js';
import { startTestApp } from '../helpers/app.js';

const root = new URL('../../', import.meta.url).pathname;
const listed = Object.keys(PROBLEM_TYPES) as ProblemType[];

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

// Started before any subtest, as in the other files: started after two quick ones, its database
// was dropped (teardown) while its migrations ran, on a loaded CI machine.
const { api } = await startTestApp(t);

t.test('every listed type is one the code throws', async (t) => {
  const sources = await Promise.all(
    (await sourceFiles('src'))
      .filter((file) => !file.endsWith(path.join('http', 'problem-types.ts')))
      .map((file) => readFile(file, 'utf8')),
  );
  const code = sources.join('\n');
  // HttpProblem takes only listed names (typed); a name no source spells is a dead entry.
  for (const type of listed) t.ok(code.includes(`'${type}'`), `${type} is thrown somewhere`);
});

t.test('docs/integrators.md has the same table', async (t) => {
  const page = await readFile(path.join(root, 'docs/integrators.md'), 'utf8');
  const table = /<!-- problem-types:start -->\n([\s\S]*?)\n<!-- problem-types:end -->/.exec(
    page,
  )?.[1];
  t.equal(table, problemTypesTable(), 'paste problemTypesTable() between the markers');
});

t.test('the contract lists every type with its status', async (t) => {
  const document = (await api({ method: 'GET', url: '/openapi.json', key: null })).json();
  const rows = [
    ...String(document.info.description).matchAll(/^\| `([a-z-]+)` \| (\d{3}) \| ([^|]+) \|/gm),
  ];
  t.same(
    Object.fromEntries(
      rows.map(([, type, status, title]) => [type, [Number(status), title?.trim()]]),
    ),
    Object.fromEntries(
      listed.map((type) => [type, [PROBLEM_TYPES[type].status, PROBLEM_TYPES[type].title]]),
    ),
  );
});

t.test('what Fastify and the service refuse is answered with a listed type', async (t) => {
  const cases: { name: string; expected: ProblemType; request: Parameters<typeof api>[0] }[] = [
    { name: 'unknown route', expected: 'not-found', request: { method: 'GET', url: '/v1/nope' } },
    {
      name: 'no key',
      expected: 'unauthorized',
      request: { method: 'GET', url: '/v1/partners', key: null },
    },
    {
      name: 'unreadable JSON',
      expected: 'bad-request',
      request: {
        method: 'POST',
        url: '/v1/partners',
        body: '{"code":',
        headers: { 'content-type': 'application/json' },
      },
    },
    {
      name: 'a body that is not JSON',
      expected: 'unsupported-media-type',
      request: {
        method: 'POST',
        url: '/v1/partners',
        body: 'code=X',
        headers: { 'content-type': 'text/plain' },
      },
    },
    {
      name: 'a body over 1 MiB',
      expected: 'body-too-large',
      request: {
        method: 'POST',
        url: '/v1/partners',
        body: { code: 'BIG', name: 'x'.repeat(1_100_000) },
      },
    },
    {
      name: 'a path segment over the router limit',
      expected: 'uri-too-long',
      request: { method: 'GET', url: `/v1/partners/${'A'.repeat(5000)}` },
    },
    {
      name: 'a schema violation',
      expected: 'validation',
      request: { method: 'GET', url: '/v1/partners?limit=0' },
    },
  ];
  for (const { name, expected, request } of cases) {
    const res = await api(request);
    t.match(res.headers['content-type'], /^application\/problem\+json/, name);
    const { type, title } = res.json();
    t.same(
      [res.statusCode, type, title],
      [
        PROBLEM_TYPES[expected].status,
        `urn:jahiz:problem:${expected}`,
        PROBLEM_TYPES[expected].title,
      ],
      `${name}: ${expected}`,
    );
    t.equal(res.json().status, res.statusCode, `${name}: the document's status is the answer's`);
  }
});
