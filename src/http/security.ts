import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
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
 * The headers helmet 8 sets by default, fixed once: computing them per request (as
 * @fastify/helmet does) was a measurable share of a simple read (bench/findings.md).
 * The API answers JSON only: nothing in a response may run, load or be framed.
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/**
 * The docs page loads Swagger UI's scripts and styles from this service: helmet's default
 * policy (same-origin scripts and styles) instead of the API's.
 */
const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' https: data:",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' https: 'unsafe-inline'",
  'upgrade-insecure-requests',
].join(';');

function applyDocsPolicy(_request: FastifyRequest, reply: FastifyReply, done: () => void) {
  reply.header('content-security-policy', DOCS_CONTENT_SECURITY_POLICY);
  done();
}

/** A route hook runs after the global ones: the docs routes' policy replaces the API's. */
function relaxDocsPolicy(route: RouteOptions) {
  if (route.url !== '/docs' && !route.url.startsWith('/docs/')) return;
  const hooks = route.onRequest ?? [];
  route.onRequest = [...(Array.isArray(hooks) ? hooks : [hooks]), applyDocsPolicy];
}

/** Security headers, CORS and overload shedding: registered before authentication. */
export async function registerSecurity(app: FastifyInstance) {
  app.addHook('onRoute', relaxDocsPolicy);
  // First of all, so that every answer carries them, refusals included.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
  });
  // Before authentication, so that a browser can read a 401 or 429 from an allowed origin.
  await app.register(cors, {
    origin: app.config.corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  await registerPressure(app);
}
