import { buildApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { DataFolderInUseError } from './db/embedded.js';
import { prepareDatabase } from './startup.js';

async function main() {
  const config = loadConfig();
  const database = await openDatabase(config);
  const app = await buildApp({ config, database });
  app.addHook('onClose', async () => database.close());
  try {
    await prepareDatabase(database, config, app.log);
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    throw error;
  }
  handleSignals(app, config);
}

/** On SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the pool, exit 0. */
function handleSignals(app: Awaited<ReturnType<typeof buildApp>>, config: Config) {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error('shutdown grace period exceeded; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (error) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataFolderInUseError) {
    process.stderr.write(`jahiz: ${error.message}\n`);
  } else {
    process.stderr.write(`jahiz: failed to start: ${(error as Error).message ?? error}\n`);
  }
  process.exit(1);
});
