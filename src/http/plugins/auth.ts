import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import type { Role } from '../../db/tables/api-keys.js';
import type { Principal } from '../principal.js';
import { HttpProblem } from '../problem.js';
import { authFailureGuard } from './auth-failures.js';
import {
  type FindPartner,
  looksLikeJwt,
  type PersonVerifier,
  personVerifier,
  RejectedToken,
} from './people.js';

export type { Principal } from '../principal.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed to call the route; every /v1 route must say. */
    allow?: Role[];
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

/**
 * How long an instance trusts a key it has verified without asking the database again. A key
 * revoked through this instance is forgotten at once; other instances accept it for at most
 * this long. Measured (bench/RESULTS.md): the lookup was a second query on every request.
 */
const KEY_CACHE_TTL_MS = 5_000;
/** Verified keys an instance remembers (per app); unknown keys are never remembered. */
const KEY_CACHE_MAX = 1_000;

interface CachedKey {
  principal: Principal;
  expiresAt: number;
}

/** One cache per app, keyed by its database (the same object in every plugin context). */
const keyCaches = new WeakMap<object, Map<string, CachedKey>>();

function keyCacheOf(app: FastifyInstance): Map<string, CachedKey> {
  let cache = keyCaches.get(app.db);
  if (!cache) {
    cache = new Map();
    keyCaches.set(app.db, cache);
  }
  return cache;
}

/** Makes this instance ask the database again for the key (called when it is revoked). */
export function forgetApiKey(app: FastifyInstance, keyId: string) {
  const cache = keyCacheOf(app);
  for (const [hash, cached] of cache) if (cached.principal.id === keyId) cache.delete(hash);
}

/**
 * The stored credentials authentication reads. API keys and partners belong to their modules;
 * src/app.ts passes their functions in, so that src/http depends on no module
 * (.dependency-cruiser.cjs).
 */
export interface Credentials {
  /** The hash a key is stored under; also what this instance caches a verified key by. */
  hashKey(key: string): string;
  findActiveKey(
    db: Db,
    key: string,
  ): Promise<{ id: string; name: string; role: Role; partnerCode: string | null } | undefined>;
  /** Checks the partner a partner person's token names. */
  findPartner: FindPartner;
}

/** Long enough for an identity provider's access token; API keys are far shorter. */
const BEARER = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,8192})\s*$/i;
const API_KEY_MAX_LENGTH = 256;

function unauthorized(detail: string, error?: string) {
  return new HttpProblem({
    type: 'unauthorized',
    detail,
    headers: {
      'www-authenticate': error ? `Bearer realm="jahiz", error="${error}"` : 'Bearer realm="jahiz"',
    },
  });
}

/**
 * Authentication (API keys, and people's access tokens when OIDC is configured: docs/people.md)
 * and role checks. A route opts in by declaring `config.allow`; every /v1 route must, so that
 * no operation is left open by omission.
 */
export function registerAuth(app: FastifyInstance, credentials: Credentials) {
  app.decorateRequest('principal', null as unknown as Principal);
  const people = app.config.oidc
    ? personVerifier(app, app.config.oidc, credentials.findPartner)
    : undefined;

  app.addHook('onRoute', (route) => {
    const allow = route.config?.allow;
    if (route.url.startsWith('/v1') && !allow) {
      throw new Error(`route ${route.method} ${route.url} declares no config.allow`);
    }
    if (allow && route.schema) {
      route.schema.security = [{ apiKey: [] }];
    }
  });

  const failures = authFailureGuard(app);
  app.addHook('onRequest', async (request) => {
    const allow = request.routeOptions.config.allow;
    if (!allow) return;
    failures.refuseIfLimited(request);
    try {
      request.principal = await authenticate(app, request, credentials, people);
    } catch (error) {
      // A credential that was sent and refused is a guess; a request without one is not.
      if (request.headers.authorization !== undefined && (error as HttpProblem).status === 401) {
        failures.recordFailure(request);
      }
      throw error;
    }
    const { kind, role } = request.principal;
    if (!allow.includes(role)) {
      const caller = kind === 'key' ? `A ${role} key` : `A person with the ${role} role`;
      throw new HttpProblem({
        type: 'forbidden',
        detail: `${caller} may not ${request.method} ${request.routeOptions.url}.`,
      });
    }
    assertOwnPartnerPath(request);
  });
}

/** Routes addressed by a partner's code: `/v1/partners/{code}/…`. */
const PARTNER_PATH = '/v1/partners/:code/';

/**
 * A partner key or person may use the partner-paths of its own partner only: another partner's path is a
 * 403 (the partner itself is public, so a 404 would pretend it does not exist).
 */
function assertOwnPartnerPath(request: FastifyRequest) {
  const { kind, role, partnerCode } = request.principal;
  if (role !== 'partner' || !request.routeOptions.url?.startsWith(PARTNER_PATH)) return;
  const { code } = request.params as { code?: string };
  if (code === partnerCode) return;
  throw new HttpProblem({
    type: 'forbidden',
    detail: `A ${partnerCode} ${kind} may use the /v1/partners/${partnerCode}/… paths only.`,
  });
}

async function authenticate(
  app: FastifyInstance,
  request: FastifyRequest,
  credentials: Credentials,
  people: PersonVerifier | undefined,
): Promise<Principal> {
  const header = request.headers.authorization;
  if (!header) throw unauthorized('An API key is required: Authorization: Bearer <key>.');
  const match = BEARER.exec(header);
  if (!match?.[1])
    throw unauthorized('The Authorization header is not a Bearer key.', 'invalid_request');
  if (people && looksLikeJwt(match[1])) return authenticatePerson(people, match[1]);
  if (match[1].length > API_KEY_MAX_LENGTH)
    throw unauthorized('The API key is unknown or revoked.', 'invalid_token');
  const cache = keyCacheOf(app);
  const hash = credentials.hashKey(match[1]);
  const cached = cache.get(hash);
  if (cached && cached.expiresAt > Date.now()) return cached.principal;
  const key = await credentials.findActiveKey(app.db, match[1]);
  if (!key) {
    cache.delete(hash);
    throw unauthorized('The API key is unknown or revoked.', 'invalid_token');
  }
  const principal: Principal = {
    kind: 'key',
    id: key.id,
    name: key.name,
    subject: key.id,
    role: key.role,
    partnerCode: key.partnerCode,
  };
  if (cache.size >= KEY_CACHE_MAX) cache.clear();
  cache.set(hash, { principal, expiresAt: Date.now() + KEY_CACHE_TTL_MS });
  return principal;
}

/** A credential as written beside the data it changed: its kind, its id and its role. */
export interface Writer {
  changedByKind: string;
  changedBy: string;
  changedByRole: string;
}

/** The caller as the writer of what it changes (docs/sync.md: the If-Match rule). */
export function writerOf(principal: Principal): Writer {
  return { changedByKind: principal.kind, changedBy: principal.id, changedByRole: principal.role };
}

async function authenticatePerson(people: PersonVerifier, token: string): Promise<Principal> {
  try {
    return await people.verify(token);
  } catch (error) {
    if (error instanceof RejectedToken) throw unauthorized(error.message, 'invalid_token');
    throw error;
  }
}

/**
 * The partner whose records the caller may see: its own for a partner key, every partner
 * (null) for the others.
 */
export function partnerScope(request: FastifyRequest): string | null {
  return request.principal.role === 'partner' ? request.principal.partnerCode : null;
}
