import type { FastifyInstance } from 'fastify';
import { runWhileListening } from '../../http/plugins/periodic.js';
import { purgeEvents } from './repository.js';

const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Purges events older than EVENTS_RETENTION_DAYS once an hour while the service listens (on
 * the instances that run background work). Several instances purging at once is harmless.
 */
export function registerEventRetention(app: FastifyInstance) {
  if (!app.config.webhooks.worker) return;
  runWhileListening(app, 'purge of old events', PURGE_INTERVAL_MS, () =>
    purgeEvents(app.db, app.config.eventsRetentionDays),
  );
}
