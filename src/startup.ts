import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { ensureAdminKey } from './modules/api-keys/repository.js';

/** What must hold before the service listens: the schema is current and an admin can get in. */
export async function prepareDatabase(
  database: DatabaseHandle,
  config: Pick<Config, 'adminKey'>,
  log: FastifyBaseLogger,
) {
  const applied = await migrateToLatest(database.db);
  for (const m of applied) log.info({ migration: m.migrationName, status: m.status }, 'migration');
  const outcome = await ensureAdminKey(database.db, config.adminKey);
  if (outcome.revokedIds.length > 0) {
    log.warn(
      { revokedKeyIds: outcome.revokedIds },
      'JAHIZ_ADMIN_KEY changed: the admin key it named before is revoked',
    );
  }
  if (outcome.configuredIsRevoked) {
    log.warn(
      'JAHIZ_ADMIN_KEY names a revoked key: it stays revoked; set a new key (docs/security.md)',
    );
  }
  if (outcome.generated) {
    // Printed once, on purpose: the operator's only way to the first admin key.
    log.warn(
      { adminKey: outcome.generated },
      'no admin key existed: generated one; store it now, it is not shown again',
    );
  }
}
