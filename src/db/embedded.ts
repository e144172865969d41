import { mkdir } from 'node:fs/promises';
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
  await mkdir(path.join(root, 'pgdata'), { recursive: true });
  const release = await lockDataFolder(root);
  try {
    const pglite = await PGlite.create(path.join(root, 'pgdata'));
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, types: pgTypes });
    return {
      pool,
      async closeEngine() {
        await pglite.close();
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
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
