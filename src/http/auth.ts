import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../db/tables/api-keys.js';
import { findActiveKey } from '../modules/api-keys/repository.js';
import { HttpProblem } from './problem.js';

export interface Principal {
  keyId: string;
  role: Role;
  /** The partner a `partner` key is bound to; null for admin and reporting keys. */
  partnerCode: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed to call the route; every /v1 route must say. */
    allow?: Role[];
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,256})\s*$/i;

function unauthorized(detail: string, error?: string) {
  return new HttpProblem({
    status: 401,
    slug: 'unauthorized',
    detail,
    headers: {
      'www-authenticate': error ? `Bearer realm="jahiz", error="${error}"` : 'Bearer realm="jahiz"',
    },
  });
}

/**
 * API-key authentication and role checks. A route opts in by declaring `config.allow`; every
 * /v1 route must, so that no operation is left open by omission.
 */
export function registerAuth(app: FastifyInstance) {
  app.decorateRequest('principal', null as unknown as Principal);

  app.addHook('onRoute', (route) => {
    const allow = route.config?.allow;
    if (route.url.startsWith('/v1') && !allow) {
      throw new Error(`route ${route.method} ${route.url} declares no config.allow`);
    }
    if (allow && route.schema) {
      route.schema.security = [{ apiKey: [] }];
    }
  });

  app.addHook('onRequest', async (request) => {
    const allow = request.routeOptions.config.allow;
    if (!allow) return;
    request.principal = await authenticate(app, request);
    if (!allow.includes(request.principal.role)) {
      throw new HttpProblem({
        status: 403,
        slug: 'forbidden',
        detail: `A ${request.principal.role} key may not ${request.method} ${request.routeOptions.url}.`,
      });
    }
  });
}

async function authenticate(app: FastifyInstance, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (!header) throw unauthorized('An API key is required: Authorization: Bearer <key>.');
  const match = BEARER.exec(header);
  if (!match?.[1])
    throw unauthorized('The Authorization header is not a Bearer key.', 'invalid_request');
  const key = await findActiveKey(app.db, match[1]);
  if (!key) throw unauthorized('The API key is unknown or revoked.', 'invalid_token');
  return { keyId: key.id, role: key.role, partnerCode: key.partnerCode };
}

/**
 * The partner whose records the caller may see: its own for a partner key, every partner
 * (null) for the others.
 */
export function partnerScope(request: FastifyRequest): string | null {
  return request.principal.role === 'partner' ? request.principal.partnerCode : null;
}
