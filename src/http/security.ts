import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { registerPressure } from './pressure.js';

/** Response headers a browser client may read besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = [
  'etag',
  'location',
  'retry-after',
  'idempotent-replayed',
  'x-request-id',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
];

/**
 * The API answers JSON only: nothing in a response may run, load or be framed. The docs page
 * loads Swagger UI's scripts and styles from this service, so it gets helmet's default policy
 * (same-origin scripts) instead.
 */
const API_CSP = {
  useDefaults: false,
  directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
};

/** Security headers, CORS and overload shedding: registered before authentication. */
export async function registerSecurity(app: FastifyInstance) {
  app.addHook('onRoute', relaxDocsPolicy);
  await app.register(helmet, { contentSecurityPolicy: API_CSP });
  // Before authentication, so that a browser can read a 401 or 429 from an allowed origin.
  await app.register(cors, {
    origin: app.config.corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  await registerPressure(app);
}

function relaxDocsPolicy(route: RouteOptions & { helmet?: unknown }) {
  if (route.url === '/docs' || route.url.startsWith('/docs/')) {
    route.helmet = { contentSecurityPolicy: { useDefaults: true } };
  }
}
