import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import t from 'tap';
import { spawnServer, startServerProcess } from '../helpers/server-process.js';

const serverUrl = process.env.TEST_DATABASE_URL;
const ADMIN = 'jz_process_test_admin_key_0123456789';

/** Where a spawned server keeps its data: a fresh folder, or a fresh database on the server. */
async function freshDatabaseEnv(t: {
  teardown(fn: () => unknown): void;
}): Promise<Record<string, string>> {
  if (serverUrl) {
    const name = `jahiz_proc_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await admin(`create database ${name}`);
    t.teardown(() => admin(`drop database if exists ${name} with (force)`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return { DATABASE_URL: url.toString() };
  }
  const folder = await mkdtemp(path.join(tmpdir(), 'jahiz-proc-'));
  t.teardown(() => rm(folder, { recursive: true, force: true }));
  return { JAHIZ_DATA_DIR: path.join(folder, 'data') };
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

t.test('a bad configuration stops the process with one clear line', async (t) => {
  const { exit, output } = spawnServer({ PORT: 'eighty', LOG_LEVEL: 'loud' });
  t.equal(await exit(), 1);
  const text = output().trim();
  t.equal(text.split('\n').length, 1, 'one line');
  t.match(text, /^jahiz: invalid configuration: PORT must be integer \(got "eighty"\); LOG_LEVEL/);
  t.notMatch(text, /at .*\.ts/, 'no stack trace');
});

t.test('graceful shutdown: in-flight requests finish, then exit 0', async (t) => {
  const env = await freshDatabaseEnv(t);
  const server = await startServerProcess({ ...env, JAHIZ_ADMIN_KEY: ADMIN });
  const body = JSON.stringify({ code: 'SLOW', name: 'Slow federation' });
  // A request whose body is still arriving when SIGTERM comes.
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      `${server.url}/v1/partners`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 10));
    setTimeout(() => {
      server.child.kill('SIGTERM');
      setTimeout(() => req.end(body.slice(10)), 300);
    }, 200);
  });
  const done = await response;
  t.equal(done.status, 201, 'the in-flight request completed');
  t.equal(JSON.parse(done.body).code, 'SLOW');
  t.equal(await server.exit(), 0, 'exit code 0');
  t.match(server.output(), /shutting down/);
});

t.test('the first start without JAHIZ_ADMIN_KEY prints a generated admin key once', async (t) => {
  const env = await freshDatabaseEnv(t);
  const first = await startServerProcess(env);
  const key = /"adminKey":"(jz_[A-Za-z0-9_-]+)"/.exec(first.output())?.[1];
  t.ok(key, 'a key was printed');
  const res = await fetch(`${first.url}/v1/api-keys`, {
    headers: { authorization: `Bearer ${key}` },
  });
  t.equal(res.status, 200, 'the printed key is an admin key');
  first.child.kill('SIGTERM');
  t.equal(await first.exit(), 0);
  const second = await startServerProcess(env);
  t.notMatch(second.output(), /adminKey/, 'not printed again');
  const ready = await fetch(`${second.url}/health/ready`);
  t.equal(ready.status, 200, 'data kept across restarts');
  second.child.kill('SIGTERM');
  await second.exit();
});

if (serverUrl) {
  t.test(
    'two instances starting together on one empty database apply migrations once',
    async (t) => {
      const env = await freshDatabaseEnv(t);
      const [a, b] = await Promise.all([
        startServerProcess({ ...env, JAHIZ_ADMIN_KEY: ADMIN }),
        startServerProcess({ ...env, JAHIZ_ADMIN_KEY: ADMIN }),
      ]);
      for (const s of [a, b]) t.equal((await fetch(`${s.url}/health/ready`)).status, 200);
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      const rows = await client.query(
        'select name, count(*)::int as n from kysely_migration group by name having count(*) > 1',
      );
      const partners = await client.query('select count(*)::int as n from partners');
      await client.end();
      t.same(rows.rows, [], 'no migration recorded twice');
      t.equal(partners.rows[0].n, 3, 'seed applied once');
      const applied = [a, b].map((s) => (s.output().match(/"msg":"migration"/g) ?? []).length);
      t.equal(Math.min(...applied), 0, 'one instance found nothing left to apply');
      for (const s of [a, b]) s.child.kill('SIGTERM');
      t.same(await Promise.all([a.exit(), b.exit()]), [0, 0]);
    },
  );
} else {
  t.test('a second process on the same data folder is refused', async (t) => {
    const env = await freshDatabaseEnv(t);
    const first = await startServerProcess({ ...env, JAHIZ_ADMIN_KEY: ADMIN });
    const second = spawnServer({ ...env, JAHIZ_ADMIN_KEY: ADMIN });
    t.equal(await second.exit(), 1);
    t.match(second.output(), /jahiz: the data folder .* is in use by another jahiz process/);
    t.equal((await fetch(`${first.url}/health/ready`)).status, 200, 'the first one is unharmed');
    first.child.kill('SIGTERM');
    t.equal(await first.exit(), 0);
  });
}
