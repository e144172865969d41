// `npm run admin-key -- --rotate`: issues a new generated admin key, revokes the generated ones
// before it and prints the new key once. The way back in when the generated key is lost
// (docs/security.md). In the image: `node dist/src/modules/api-keys/admin-key-cli.js --rotate`.
import { ConfigError, loadConfig } from '../../config.js';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { rotateGeneratedAdminKey } from './repository.js';

const USAGE = 'usage: npm run admin-key -- --rotate';

async function main(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] !== '--rotate') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const database = await openDatabase(loadConfig());
  try {
    await migrateToLatest(database.db);
    const rotated = await rotateGeneratedAdminKey(database.db);
    process.stderr.write(
      `jahiz: new admin key ${rotated.id}; ${rotated.revokedIds.length} generated key(s) ` +
        'revoked. Store the key now: it is not shown again.\n',
    );
    // The key alone on stdout, so that it can be piped into a secret store.
    process.stdout.write(`${rotated.key}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof ConfigError ? error.message : (error as Error).message;
    process.stderr.write(`jahiz: ${message}\n`);
    process.exit(1);
  },
);
