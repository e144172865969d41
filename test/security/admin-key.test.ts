import { spawn } from 'node:child_process';
import { once } from 'node:events';
import t from 'tap';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ADMIN_KEY, restartTestApp, startTestApp, type TestApp } from '../helpers/app.js';

const NEXT_KEY = 'jz_rotated_admin_key_ABCDEFGHIJ0123456789';

async function status(app: TestApp, key: string) {
  return (await app.api({ method: 'GET', url: '/v1/partners', key })).statusCode;
}

async function adminKeys(app: TestApp, key = ADMIN_KEY) {
  const res = await app.api({ method: 'GET', url: '/v1/api-keys?limit=100', key });
  return (res.json().data as { id: string; origin: string; revokedAt: string | null }[]).filter(
    (k) => k.origin !== 'api',
  );
}

t.test('an admin key must be 32+ characters with enough distinct ones; never echoed', async (t) => {
  for (const weak of ['jz_sixteen_chars', 'a'.repeat(40), 'abababababababababababababababab12']) {
    const error = (() => {
      try {
        loadConfig({ JAHIZ_ADMIN_KEY: weak });
      } catch (e) {
        return e as Error;
      }
    })();
    t.type(error, ConfigError, `${weak.length} characters refused`);
    t.match(error?.message, /JAHIZ_ADMIN_KEY/);
    t.notOk(error?.message.includes(weak), 'the key is not repeated');
  }
  t.throws(() => loadConfig({ JAHIZ_ADMIN_KEY: `${'x'.repeat(30)} ${'y'.repeat(10)}` }), {
    message: /JAHIZ_ADMIN_KEY must match pattern/,
  });
  t.equal(loadConfig({ JAHIZ_ADMIN_KEY: NEXT_KEY }).adminKey, NEXT_KEY);
});

t.test('changing JAHIZ_ADMIN_KEY revokes the key it named before', async (t) => {
  const first = await startTestApp(t);
  t.equal(await status(first, ADMIN_KEY), 200);
  const second = await restartTestApp(t, first, { JAHIZ_ADMIN_KEY: NEXT_KEY });
  t.equal(await status(second, ADMIN_KEY), 401, 'the previous configured key is refused');
  t.equal(await status(second, NEXT_KEY), 200, 'the new one works');
  const keys = await adminKeys(second, NEXT_KEY);
  t.equal(keys.length, 2);
  t.equal(keys.filter((k) => k.revokedAt === null).length, 1, 'one configured key is active');
  t.ok(
    second.logs.some((l) => /JAHIZ_ADMIN_KEY changed/.test(String(l.msg))),
    'the revocation is logged',
  );
});

t.test('a configured key revoked through the API stays revoked across restarts', async (t) => {
  const first = await startTestApp(t);
  const backup = await first.keyFor('admin');
  const [configured] = await adminKeys(first);
  const revoked = await first.api({
    method: 'DELETE',
    url: `/v1/api-keys/${configured?.id}`,
    key: backup,
  });
  t.equal(revoked.statusCode, 200);
  const second = await restartTestApp(t, first);
  t.equal(await status(second, ADMIN_KEY), 401, 'not revived by the restart');
  t.ok(second.logs.some((l) => /names a revoked key/.test(String(l.msg))));
  const third = await restartTestApp(t, second, { JAHIZ_ADMIN_KEY: NEXT_KEY });
  t.equal(await status(third, NEXT_KEY), 200, 'a new value is a new key');
  t.equal(await status(third, ADMIN_KEY), 401);
});

t.test('removing the variable revokes the configured key; a key is generated', async (t) => {
  const first = await startTestApp(t);
  const second = await restartTestApp(t, first, { JAHIZ_ADMIN_KEY: '' });
  t.equal(await status(second, ADMIN_KEY), 401);
  const generated = second.logs.find((l) => typeof l.adminKey === 'string')?.adminKey as string;
  t.ok(generated, 'the generated key is printed once');
  t.equal(await status(second, generated), 200);
});

t.test(
  'npm run admin-key -- --rotate prints a new key and revokes the generated one',
  async (t) => {
    const first = await startTestApp(t, { JAHIZ_ADMIN_KEY: '' });
    const generated = first.logs.find((l) => typeof l.adminKey === 'string')?.adminKey as string;
    const dbEnv = first.config.databaseUrl
      ? { DATABASE_URL: first.config.databaseUrl }
      : { JAHIZ_DATA_DIR: first.config.dataDir };
    // The embedded folder admits one process: stop the service as the README says.
    const stoppedEnv = await restartTestApp(t, first, { JAHIZ_ADMIN_KEY: '' });
    await stoppedEnv.app.close();
    await stoppedEnv.database.close();
    const child = spawn('npm', ['run', '--silent', 'admin-key', '--', '--rotate'], {
      env: { ...process.env, ...dbEnv, JAHIZ_ADMIN_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const [code] = await once(child, 'exit');
    t.equal(code, 0, stderr);
    const key = stdout.trim();
    t.match(key, /^jz_[A-Za-z0-9_-]{43}$/, 'the key alone on stdout');
    t.match(stderr, /1 generated key\(s\) revoked/);
    const after = await restartTestApp(t, stoppedEnv, { JAHIZ_ADMIN_KEY: '' });
    t.equal(await status(after, key), 200, 'the new key works');
    t.equal(await status(after, generated), 401, 'the lost one is revoked');
    t.notOk(
      after.logs.some((l) => typeof l.adminKey === 'string'),
      'no further key generated',
    );
  },
);
