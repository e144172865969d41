import type { FastifyInstance } from 'fastify';
import { purgeEvents } from './repository.js';

const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Purges events older than EVENTS_RETENTION_DAYS once an hour while the service listens (on
 * the instances that run background work). Several instances purging at once is harmless.
 */
export function registerEventRetention(app: FastifyInstance) {
  if (!app.config.webhooks.worker) return;
  let timer: NodeJS.Timeout | undefined;
  const purge = () => {
    purgeEvents(app.db, app.config.eventsRetentionDays).then(
      (count) => app.log.debug({ count }, 'old events purged'),
      (error: unknown) => app.log.warn({ err: error }, 'could not purge old events'),
    );
  };
  app.addHook('onListen', async () => {
    purge();
    timer ??= setInterval(purge, PURGE_INTERVAL_MS).unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}
