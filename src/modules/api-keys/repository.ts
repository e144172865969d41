import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { KeyOrigin, Role } from '../../db/tables/api-keys.js';
import { uuidv7 } from '../../db/uuid.js';
import { recordAuditEvents } from '../audit/repository.js';
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
  'origin',
] as const;

/** Stores a key's hash; the key itself is returned once and never kept. */
export async function createApiKey(
  db: Db,
  input: NewApiKey,
  key = generateKey(),
  origin: KeyOrigin = 'api',
) {
  const row = await db
    .insertInto('apiKeys')
    .values({ id: uuidv7(), ...input, origin, keyHash: hashKey(key), keyPrefix: keyPrefix(key) })
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

/** What start-up did to the admin keys, for its log. */
export interface AdminKeyOutcome {
  /** A generated key to show once (no key configured and no active admin key). */
  generated?: string;
  /** Keys revoked because JAHIZ_ADMIN_KEY no longer names them. */
  revokedIds: string[];
  /** The configured key was revoked (through the API or by an earlier change): it stays so. */
  configuredIsRevoked: boolean;
}

/**
 * Makes the admin keys follow the configuration (docs/security.md): the key JAHIZ_ADMIN_KEY
 * names is the one `environment` key; any other one (the variable changed or was removed) is
 * revoked. A configured key revoked through the API stays revoked until the variable changes.
 * With no key configured and no active admin key at all, one is generated and returned so that
 * it can be shown once. Runs under a transaction lock so that instances starting together agree.
 */
export async function ensureAdminKey(
  db: Db,
  configuredKey: string | undefined,
): Promise<AdminKeyOutcome> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7245019332)`.execute(trx);
    const hash = configuredKey === undefined ? undefined : hashKey(configuredKey);
    let revoke = trx
      .updateTable('apiKeys')
      .set({ revokedAt: sql`now()` })
      .where('origin', '=', 'environment')
      .where('revokedAt', 'is', null);
    if (hash !== undefined) revoke = revoke.where('keyHash', '<>', hash);
    const revoked = await revoke.returning(['id']).execute();
    await auditServiceWrites(trx, revoked, 'revoked', 'JAHIZ_ADMIN_KEY changed');
    const outcome: AdminKeyOutcome = {
      revokedIds: revoked.map((r) => r.id),
      configuredIsRevoked: false,
    };
    if (configuredKey !== undefined) {
      outcome.configuredIsRevoked = await registerConfiguredKey(trx, configuredKey);
      return outcome;
    }
    const admin = await trx
      .selectFrom('apiKeys')
      .select('id')
      .where('role', '=', 'admin')
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    if (!admin) outcome.generated = (await generateAdminKey(trx, 'generated at first start')).key;
    return outcome;
  });
}

/** Registers the configured key (once); true when it is revoked. */
async function registerConfiguredKey(trx: Db, key: string): Promise<boolean> {
  const existing = await trx
    .selectFrom('apiKeys')
    .select(['id', 'origin', 'revokedAt'])
    .where('keyHash', '=', hashKey(key))
    .executeTakeFirst();
  if (!existing) {
    const created = await createApiKey(
      trx,
      { name: 'JAHIZ_ADMIN_KEY', role: 'admin', partnerCode: null, createdBy: null },
      key,
      'environment',
    );
    await auditServiceWrites(trx, [created], 'created', 'JAHIZ_ADMIN_KEY set');
    return false;
  }
  if (existing.origin !== 'environment') {
    // A key issued before (e.g. the generated one) now named by the variable: it becomes the
    // configured admin key, revoked or not as it was.
    await trx
      .updateTable('apiKeys')
      .set({ origin: 'environment', name: 'JAHIZ_ADMIN_KEY', role: 'admin', partnerCode: null })
      .where('id', '=', existing.id)
      .execute();
  }
  return existing.revokedAt !== null;
}

/**
 * Issues a new generated admin key and revokes the generated ones before it: the way back in
 * when the generated key is lost (`npm run admin-key -- --rotate`). Returns the new key and the
 * ids revoked.
 */
export async function rotateGeneratedAdminKey(db: Db) {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7245019332)`.execute(trx);
    const revoked = await trx
      .updateTable('apiKeys')
      .set({ revokedAt: sql`now()` })
      .where('origin', '=', 'generated')
      .where('revokedAt', 'is', null)
      .returning(['id'])
      .execute();
    await auditServiceWrites(trx, revoked, 'revoked', 'admin key rotated');
    const created = await generateAdminKey(trx, 'generated by admin-key --rotate');
    return { key: created.key, id: created.id, revokedIds: revoked.map((r) => r.id) };
  });
}

async function generateAdminKey(trx: Db, name: string) {
  const created = await createApiKey(
    trx,
    { name, role: 'admin', partnerCode: null, createdBy: null },
    generateKey(),
    'generated',
  );
  await auditServiceWrites(trx, [created], 'created', name);
  return created;
}

/** Audit events of the service's own key changes (no actor: the service did it at start). */
async function auditServiceWrites(
  trx: Db,
  keys: readonly { id: string }[],
  action: 'created' | 'revoked',
  reason: string,
) {
  await recordAuditEvents(
    trx,
    keys.map((key) => ({
      actor: null,
      entity: 'apiKey',
      entityId: key.id,
      action,
      partnerCode: null,
      changes: { reason: { to: reason } },
    })),
  );
}
