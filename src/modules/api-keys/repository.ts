import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Role } from '../../db/tables/api-keys.js';
import { uuidv7 } from '../../db/uuid.js';
import { generateKey, hashKey, keyPrefix } from './keys.js';

export interface NewApiKey {
  name: string;
  role: Role;
  partnerCode: string | null;
  createdBy: string | null;
}

const columns = [
  'id',
  'name',
  'role',
  'partnerCode',
  'keyPrefix',
  'createdAt',
  'revokedAt',
] as const;

/** Stores a key's hash; the key itself is returned once and never kept. */
export async function createApiKey(db: Db, input: NewApiKey, key = generateKey()) {
  const row = await db
    .insertInto('apiKeys')
    .values({ id: uuidv7(), ...input, keyHash: hashKey(key), keyPrefix: keyPrefix(key) })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return { ...row, key };
}

export async function findActiveKey(db: Db, key: string) {
  return db
    .selectFrom('apiKeys')
    .select(['id', 'name', 'role', 'partnerCode'])
    .where('keyHash', '=', hashKey(key))
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
}

export async function listApiKeys(db: Db, limit: number, afterId: string | undefined) {
  let query = db
    .selectFrom('apiKeys')
    .select(columns)
    .orderBy('id')
    .limit(limit + 1);
  if (afterId !== undefined) query = query.where('id', '>', afterId);
  return query.execute();
}

/**
 * Revokes once; returns the row (revoked before or now) and whether this call revoked it, or
 * undefined when there is none.
 */
export async function revokeApiKey(db: Db, id: string) {
  const revoked = await db
    .updateTable('apiKeys')
    .set({ revokedAt: sql`now()` })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .returning(columns)
    .executeTakeFirst();
  if (revoked) return { key: revoked, revokedNow: true };
  const key = await db
    .selectFrom('apiKeys')
    .select(columns)
    .where('id', '=', id)
    .executeTakeFirst();
  return key && { key, revokedNow: false };
}

/**
 * Makes sure an admin can get in: the configured key is registered, or — with none configured
 * and no active admin key at all — a new one is created and returned so that it can be shown
 * once. Runs under a transaction lock so that instances starting together create one key.
 */
export async function ensureAdminKey(db: Db, configuredKey: string | undefined) {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7245019332)`.execute(trx);
    if (configuredKey) {
      // The configured key is an admin key whatever happened to it: a restart restores it.
      await trx
        .insertInto('apiKeys')
        .values({
          id: uuidv7(),
          name: 'JAHIZ_ADMIN_KEY',
          role: 'admin',
          partnerCode: null,
          createdBy: null,
          keyHash: hashKey(configuredKey),
          keyPrefix: keyPrefix(configuredKey),
        })
        .onConflict((oc) =>
          oc.column('keyHash').doUpdateSet({ role: 'admin', partnerCode: null, revokedAt: null }),
        )
        .execute();
      return undefined;
    }
    const admin = await trx
      .selectFrom('apiKeys')
      .select('id')
      .where('role', '=', 'admin')
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    if (admin) return undefined;
    const created = await createApiKey(trx, {
      name: 'generated at first start',
      role: 'admin',
      partnerCode: null,
      createdBy: null,
    });
    return created.key;
  });
}
