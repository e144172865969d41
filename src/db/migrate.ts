import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import { FileMigrationProvider, type MigrationResult, Migrator } from 'kysely/migration';

/** migrations/ beside src/ (sources under tsx) or beside dist/src/ (the build). */
const migrationFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Arbitrary constant naming jahiz's migration lock among advisory locks. */
const MIGRATION_LOCK_KEY = 7_245_019_331;

/**
 * Applies every pending migration. Instances starting together on one database wait on a
 * session advisory lock, so each migration runs exactly once.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResult[]> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      const migrator = new Migrator({
        db: conn,
        provider: new FileMigrationProvider({ fs, path, migrationFolder }),
        // 0012 came after 0013–0018 had run on existing databases; it depends on none of them.
        allowUnorderedMigrations: true,
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error;
      return results ?? [];
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}
