import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { refuseCredentialsInUrl } from './credentials-in-url.js';
import { registerPressure } from './pressure.js';
import { REQUEST_ID_HEADER } from './request-id.js';

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
 * The headers helmet sets with the given options, computed once: they depend on nothing in the
 * request, and building them per request (as @fastify/helmet does) was a measurable share of a
 * simple read (bench/findings.md).
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw error;
    },
  );
  return headers;
}

/** The API answers JSON only: nothing in a response may run, load or be framed. */
const SECURITY_HEADERS = helmetHeaders({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
});

/**
 * The docs page loads Swagger UI's scripts and styles from this service: helmet's default
 * policy (same-origin scripts and styles) instead of the API's.
 */
const DOCS_CONTENT_SECURITY_POLICY = helmetHeaders({})['content-security-policy'] as string;

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

/** What every API answer carries besides the security headers: no cache may keep them. */
const API_HEADERS = { ...SECURITY_HEADERS, 'cache-control': 'no-store' };

/**
 * Security headers, the request id, CORS and overload shedding: registered before
 * authentication. The fixed headers and the request id are set by one hook: each `onRequest`
 * hook is a call through fastify's hook runner on every request (bench/ablation.md).
 */
export async function registerSecurity(app: FastifyInstance) {
  app.addHook('onRoute', relaxDocsPolicy);
  // First of all, so that every answer carries them, refusals included.
  app.addHook('onRequest', (request, reply, done) => {
    // API answers carry personal data and secrets (a new key): no cache may keep them.
    const api = request.url.startsWith('/v1') || request.url.startsWith('/metrics');
    reply.headers(api ? API_HEADERS : SECURITY_HEADERS);
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  refuseCredentialsInUrl(app);
  // Before authentication, so that a browser can read a 401 or 429 from an allowed origin.
  await app.register(cors, {
    origin: app.config.corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  await registerPressure(app);
}
