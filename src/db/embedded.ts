import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { pgTypes } from './pg-types.js';

export class DataFolderInUseError extends Error {}

export interface EmbeddedPool {
  pool: pg.Pool;
  /** Closes the engine and releases the folder; call after the pool has ended. */
  closeEngine(): Promise<void>;
}

/**
 * Opens the embedded PostgreSQL (PGlite) kept in `dataDir/pgdata`, behind a lock file so that a
 * second process cannot open the same folder. PGlite has a single connection: the pg pool is
 * size 1, which serialises transactions (found correct; larger pools crash).
 */
export async function openEmbedded(dataDir: string): Promise<EmbeddedPool> {
  const root = path.resolve(dataDir);
  await mkdir(path.join(root, 'pgdata'), { recursive: true, mode: 0o700 });
  const release = await lockDataFolder(root);
  try {
    const pglite = await PGlite.create(path.join(root, 'pgdata'));
    await makePrivate(root);
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, types: pgTypes });
    return {
      pool,
      async closeEngine() {
        await pglite.close();
        await makePrivate(root);
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/**
 * The data folder holds contacts and key hashes: only the service's user may read or write it
 * (docs/security.md). PGlite writes most files 0666 whatever the umask, so the modes are set
 * here, after it has opened (and extracted) the database and again after it closes; files it
 * creates meanwhile lie inside a 0700 folder that nobody else can enter.
 */
async function makePrivate(root: string) {
  await chmod(root, 0o700);
  const entries = await readdir(root, { recursive: true });
  for (const entry of entries) {
    const file = path.join(root, entry);
    const stats = await lstat(file).catch(() => undefined);
    if (!stats || stats.isSymbolicLink()) continue;
    await chmod(file, stats.isDirectory() ? 0o700 : 0o600).catch(() => undefined);
  }
}

async function lockDataFolder(root: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(root, {
      lockfilePath: path.join(root, 'jahiz.lock'),
      stale: 15_000,
      update: 5_000,
      retries: 0,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new DataFolderInUseError(
        `the data folder ${root} is in use by another jahiz process (lock ${path.join(root, 'jahiz.lock')})`,
      );
    }
    throw error;
  }
}
