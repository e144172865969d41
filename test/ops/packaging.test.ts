import { readFile } from 'node:fs/promises';
import t from 'tap';
import { parse } from 'yaml';
import { configVariableNames } from '../../src/config.js';

const read = (name: string) => readFile(new URL(`../../${name}`, import.meta.url), 'utf8');

t.test('docker-compose sets only variables the service reads, and the one it needs', async (t) => {
  const compose = parse(await read('docker-compose.yml'));
  const env = compose.services.jahiz.environment as Record<string, string>;
  for (const name of Object.keys(env)) t.ok(configVariableNames.includes(name), `${name} is read`);
  t.match(env.DATABASE_URL, /^postgres:\/\/.+@postgres:5432\//);
  t.equal(compose.services.jahiz.depends_on.postgres.condition, 'service_healthy');
  t.ok(compose.services.postgres.healthcheck, 'postgres has a healthcheck');
  t.match(compose.services.postgres.image, /^postgres:16/);
});

t.test('the image runs as non-root, listens on all interfaces and checks readiness', async (t) => {
  const dockerfile = await read('Dockerfile');
  t.match(dockerfile, /^USER node$/m);
  t.match(dockerfile, /HOST=0\.0\.0\.0/);
  t.match(dockerfile, /HEALTHCHECK[\s\S]*\/health\/ready/);
  t.match(dockerfile, /npm ci --omit=dev/);
  for (const match of dockerfile.matchAll(/ENV (.+)/g)) {
    for (const pair of (match[1] ?? '').split(/\s+/)) {
      const name = pair.split('=')[0] ?? '';
      if (name !== 'NODE_ENV') t.ok(configVariableNames.includes(name), `${name} is read`);
    }
  }
});

t.test('the README documents every configuration variable', async (t) => {
  const readme = await read('README.md');
  for (const name of configVariableNames) t.match(readme, `\`${name}\``, `${name} documented`);
});

t.test(
  'the image runs a Node line the dependencies declare, not older than we test on',
  async (t) => {
    const dockerfile = await read('Dockerfile');
    const lines = [...dockerfile.matchAll(/^FROM node:(\d+)-/gm)].map((m) => Number(m[1]));
    t.equal(lines.length, 2, 'build and runtime stages');
    t.equal(lines[0], lines[1], 'both stages on one Node line');
    const image = lines[0] ?? 0;
    t.equal(image % 2, 0, 'an even (LTS) line');
    // kysely 0.29 declares Node >= 22; npm only warns on Node 20 (docs/operations.md → Runtime).
    const kysely = JSON.parse(await read('node_modules/kysely/package.json'));
    const declared = Number(/>=\s*(\d+)/.exec(kysely.engines.node)?.[1]);
    t.ok(image >= declared, `node:${image} satisfies kysely's ${kysely.engines.node}`);
    const engines = JSON.parse(await read('package.json')).engines.node as string;
    const tested = Number(/>=\s*(\d+)/.exec(engines)?.[1]);
    t.ok(Number(process.versions.node.split('.')[0]) >= tested, `this Node is within ${engines}`);
    t.ok(image >= tested, 'the image is within our own engines');
  },
);
