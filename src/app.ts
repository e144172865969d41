import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import type { DatabaseHandle, Db } from './db/database.js';
import { registerCreatedLocation } from './http/created.js';
import { registerConditionalGet, registerIfMatch } from './http/etag.js';
import { registerMergePatch } from './http/merge-patch.js';
import { type Credentials, registerAuth } from './http/plugins/auth.js';
import { answerFrameworkError, registerErrorHandling } from './http/plugins/errors.js';
import { registerIdempotency } from './http/plugins/idempotency.js';
import { registerMetrics } from './http/plugins/metrics.js';
import { registerOpenApi } from './http/plugins/openapi.js';
import { registerRateLimit } from './http/plugins/rate-limit.js';
import { generateRequestId } from './http/plugins/request-id.js';
import { RequestLog } from './http/plugins/request-log.js';
import { registerSecurity } from './http/plugins/security.js';
import { buildSerializer } from './http/plugins/serialization.js';
import { registerBodyDepthLimit, validatorCompiler } from './http/plugins/validation.js';
import { registerComponents } from './http/schemas/components.js';
import { loggerOptions } from './logger.js';
import { activityRoutes } from './modules/activities/routes.js';
import { hashKey } from './modules/api-keys/keys.js';
import { findActiveKey } from './modules/api-keys/repository.js';
import { apiKeyRoutes } from './modules/api-keys/routes.js';
import { assessmentRoutes } from './modules/assessments/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { registerEventRetention } from './modules/events/retention.js';
import { eventRoutes } from './modules/events/routes.js';
import { fieldRoutes } from './modules/field/routes.js';
import { gridRoutes } from './modules/grids/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { kpiRoutes } from './modules/kpis/routes.js';
import { kpiValueRoutes } from './modules/kpis/values-routes.js';
import { memberRoutes } from './modules/members/routes.js';
import { findPartner } from './modules/partners/repository.js';
import { partnerRoutes } from './modules/partners/routes.js';
import { peopleRoutes } from './modules/people/routes.js';
import { periodRoutes } from './modules/periods/routes.js';
import { registerKpiChangesCompaction } from './modules/reports/compaction.js';
import { reportRoutes } from './modules/reports/routes.js';
import { webhookRoutes } from './modules/webhooks/routes.js';
import { registerWebhookWorker } from './modules/webhooks/worker.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: DatabaseHandle;
    db: Db;
  }
}

export interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  /** A logger instance to use instead of one built from the config (tests capture logs). */
  loggerInstance?: FastifyServerOptions['loggerInstance'];
}

/** The API keys and partners authentication checks callers against (src/http/plugins/auth.ts). */
export const storedCredentials: Credentials = { hashKey, findActiveKey, findPartner };

export const BODY_LIMIT = 1024 * 1024;

/** Builds the HTTP application; it touches the database only when it serves requests. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: loggerOptions(config.logLevel) }),
    genReqId: generateRequestId,
    logController: new RequestLog(),
    bodyLimit: BODY_LIMIT,
    requestTimeout: config.requestTimeoutMs,
    http: {
      // Node checks request timeouts every 30 s by default, so a slow body was cut only up to
      // 30 s late; checked often enough, it is cut within a tenth of the timeout (at most 1 s).
      connectionsCheckingInterval: Math.min(1000, Math.ceil(config.requestTimeoutMs / 10)),
      headersTimeout: Math.min(60_000, config.requestTimeoutMs),
    },
    connectionTimeout: config.requestTimeoutMs,
    return503OnClosing: true,
    // Behind a reverse proxy the client's address (per-address limits) comes from it.
    trustProxy: config.trustProxy,
    frameworkErrors: answerFrameworkError,
    schemaController: { compilersFactory: { buildSerializer } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', config);
  app.decorate('database', database);
  app.decorate('db', database.db);
  app.setValidatorCompiler(validatorCompiler);
  // The API speaks JSON only: any other body type is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain');
  registerMergePatch(app);

  registerErrorHandling(app);
  // Headers and request id, CORS and load shedding before authentication; limits after it
  // (keyed by API key).
  await registerSecurity(app);
  registerAuth(app, storedCredentials);
  registerBodyDepthLimit(app);
  await registerRateLimit(app);
  registerIdempotency(app);
  registerConditionalGet(app);
  registerIfMatch(app);
  registerCreatedLocation(app);
  registerComponents(app);
  await registerOpenApi(app);
  await registerMetrics(app);

  await app.register(healthRoutes);
  await app.register(partnerRoutes);
  await app.register(apiKeyRoutes);
  await app.register(peopleRoutes);
  await app.register(memberRoutes);
  await app.register(auditRoutes);
  await app.register(kpiRoutes);
  await app.register(kpiValueRoutes);
  await app.register(periodRoutes);
  await app.register(activityRoutes);
  await app.register(reportRoutes);
  await app.register(gridRoutes);
  await app.register(assessmentRoutes);
  await app.register(eventRoutes);
  registerEventRetention(app);
  registerKpiChangesCompaction(app);
  await app.register(webhookRoutes);
  registerWebhookWorker(app);
  await app.register(fieldRoutes);
  return app;
}
