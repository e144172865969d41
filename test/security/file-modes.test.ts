import { chmod, cp, lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import t from 'tap';
import { openDatabase } from '../../src/db/database.js';

// The embedded database only: real PostgreSQL keeps its own files.
const embedded = !process.env.TEST_DATABASE_URL;

/** Modes other than 0700 (folders) and 0600 (files) under the folder, as `path mode`. */
async function looseModes(root: string) {
  const loose: string[] = [];
  const rootMode = (await lstat(root)).mode & 0o777;
  if (rootMode !== 0o700) loose.push(`. ${rootMode.toString(8)}`);
  for (const entry of await readdir(root, { recursive: true })) {
    const stats = await lstat(path.join(root, entry));
    const mode = stats.mode & 0o777;
    if (mode !== (stats.isDirectory() ? 0o700 : 0o600)) loose.push(`${entry} ${mode.toString(8)}`);
  }
  return loose;
}

async function openWriteClose(
  dataDir: string,
  t: { same(a: unknown, b: unknown, m: string): void },
) {
  const database = await openDatabase({
    databaseUrl: undefined,
    dataDir,
    dbPoolMax: 1,
    statementTimeoutMs: 0,
  });
  t.same(await looseModes(dataDir), [], 'private once open');
  await sql`create table notes (body text)`.execute(database.db);
  await sql`insert into notes select repeat('x', 500) from generate_series(1, 500)`.execute(
    database.db,
  );
  await database.close();
  t.same(await looseModes(dataDir), [], 'private once closed');
}

for (const umask of [0o022, 0o000]) {
  t.test(
    `the data folder is private with umask ${umask.toString(8).padStart(4, '0')}`,
    {
      skip: !embedded && 'embedded database only',
    },
    async (t) => {
      const parent = await mkdtemp(path.join(tmpdir(), 'jahiz-modes-'));
      t.teardown(() => rm(parent, { recursive: true, force: true }));
      const previous = process.umask(umask);
      t.teardown(() => process.umask(previous));
      await openWriteClose(path.join(parent, 'data'), t);
    },
  );
}

t.test(
  'a folder left open to others is made private at the next open',
  {
    skip: !embedded && 'embedded database only',
  },
  async (t) => {
    const template = process.env.JAHIZ_TEST_TEMPLATE;
    const parent = await mkdtemp(path.join(tmpdir(), 'jahiz-modes-'));
    t.teardown(() => rm(parent, { recursive: true, force: true }));
    const dataDir = path.join(parent, 'data');
    if (template) await cp(template, dataDir, { recursive: true });
    else {
      const first = await openDatabase({
        databaseUrl: undefined,
        dataDir,
        dbPoolMax: 1,
        statementTimeoutMs: 0,
      });
      await first.close();
    }
    await chmod(dataDir, 0o777);
    for (const entry of await readdir(dataDir, { recursive: true })) {
      await chmod(
        path.join(dataDir, entry),
        0o666 | ((await lstat(path.join(dataDir, entry))).isDirectory() ? 0o111 : 0),
      );
    }
    t.not((await looseModes(dataDir)).length, 0, 'loose before');
    await openWriteClose(dataDir, t);
  },
);
