import type { FastifyInstance } from 'fastify';
import {
  createRemoteJWKSet,
  decodeJwt,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { isTrustedIdpUrl, type OidcConfig } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { Role } from '../../db/tables/api-keys.js';
import { type Principal, personId } from '../principal.js';
import { HttpProblem } from '../problem.js';

/**
 * People's access tokens (docs/people.md): JWTs of the one configured issuer, verified with jose
 * against the keys its discovery document names. Only asymmetric algorithms: `none` and HMAC
 * (whose "secret" an attacker could take from the public keys) are refused whatever the header
 * says, as the algorithm list is ours, not the token's.
 */
const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
const ROLES: readonly Role[] = ['admin', 'partner', 'reporting'];
/** Discovery and key fetches give up after this long (the request then answers 503). */
const FETCH_TIMEOUT_MS = 5_000;
/** Keys are fetched again after this long even when every token names a known one. */
const JWKS_MAX_AGE_MS = 10 * 60_000;

/** A bearer token shaped like a compact JWS (three base64url parts; `none` has no signature). */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Anything but undefined when the partner exists (the partners module's lookup). */
export type FindPartner = (db: Db, code: string) => Promise<unknown>;

export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token);
}

/** A token that is not a valid access token of the issuer: answered 401 `invalid_token`. */
export class RejectedToken extends Error {}

export interface PersonVerifier {
  verify(token: string): Promise<Principal>;
}

/** The verifier of the app's configured issuer. */
export function personVerifier(
  app: FastifyInstance,
  config: OidcConfig,
  findPartner: FindPartner,
): PersonVerifier {
  const keys = issuerKeys(config);
  return {
    async verify(token) {
      // Pinned issuer: a token claiming another one is refused before any key is fetched.
      if (unverifiedIssuer(token) !== config.issuer) {
        throw new RejectedToken('The access token was not issued by the trusted issuer.');
      }
      const payload = await verifyToken(token, await keys.get(), config);
      return principalOf(app, config, payload, findPartner);
    },
  };
}

function unverifiedIssuer(token: string): unknown {
  try {
    return decodeJwt(token).iss;
  } catch {
    throw new RejectedToken('The access token is not a well-formed JWT.');
  }
}

/**
 * The issuer's key set, found through its discovery document once (again after a failure).
 * jose caches the keys and fetches them again for an unknown `kid`, at most once per cooldown.
 */
function issuerKeys(config: OidcConfig) {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  return {
    get(): Promise<JWTVerifyGetKey> {
      if (!keys) {
        keys = discoverKeys(config);
        keys.catch(() => {
          keys = undefined;
        });
      }
      return keys;
    },
  };
}

async function discoverKeys(config: OidcConfig): Promise<JWTVerifyGetKey> {
  const issuer = config.issuer;
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let document: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`discovery answered ${response.status}`);
    document = (await response.json()) as typeof document;
  } catch (error) {
    throw providerUnavailable(error);
  }
  // OpenID Connect Discovery 1.0 §4.3: the document must name exactly the issuer asked.
  if (document.issuer !== issuer || typeof document.jwks_uri !== 'string') {
    throw providerUnavailable(new Error('discovery names another issuer or no jwks_uri'));
  }
  if (!URL.canParse(document.jwks_uri) || !isTrustedIdpUrl(new URL(document.jwks_uri))) {
    throw providerUnavailable(new Error('jwks_uri is not https (nor http on loopback)'));
  }
  return createRemoteJWKSet(new URL(document.jwks_uri), {
    timeoutDuration: FETCH_TIMEOUT_MS,
    // After a fetch, a token naming an unknown `kid` makes the service fetch the keys again only
    // once this has passed: a flood of forged tokens costs the provider one fetch per period.
    cooldownDuration: config.jwksCooldownMs,
    cacheMaxAge: JWKS_MAX_AGE_MS,
  });
}

/** Token faults jose reports, in words for the caller; anything else is the provider's. */
const REJECTIONS: Record<string, string> = {
  ERR_JWT_EXPIRED: 'The access token has expired.',
  ERR_JOSE_ALG_NOT_ALLOWED: 'The access token is not signed with an accepted asymmetric algorithm.',
  ERR_JWKS_NO_MATCHING_KEY: 'The access token is signed by a key the issuer does not publish.',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'The access token does not say which of its keys signed it.',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'The access token signature is invalid.',
  ERR_JWS_INVALID: 'The access token is not a well-formed JWS.',
  ERR_JWT_INVALID: 'The access token is not a well-formed JWT.',
  ERR_JOSE_NOT_SUPPORTED: 'The access token uses a form this service does not support.',
};

async function verifyToken(token: string, keys: JWTVerifyGetKey, config: OidcConfig) {
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: ASYMMETRIC_ALGORITHMS,
      clockTolerance: config.clockToleranceS,
      requiredClaims: ['exp', 'sub'],
    });
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new RejectedToken('The access token names no subject ("sub").');
    }
    return payload;
  } catch (error) {
    if (error instanceof RejectedToken) throw error;
    if (error instanceof errors.JWTClaimValidationFailed) {
      throw new RejectedToken(
        `The access token's "${error.claim}" claim is not accepted (${error.reason}).`,
      );
    }
    const code = error instanceof errors.JOSEError ? error.code : undefined;
    const rejection = code === undefined ? undefined : REJECTIONS[code];
    if (rejection) throw new RejectedToken(rejection);
    throw providerUnavailable(error);
  }
}

function providerUnavailable(cause: unknown) {
  const problem = new HttpProblem({
    type: 'identity-provider-unavailable',
    detail: 'The identity provider could not be reached to verify the access token; retry later.',
    headers: { 'retry-after': '5' },
  });
  problem.cause = cause;
  return problem;
}

function personForbidden(detail: string) {
  return new HttpProblem({ type: 'person-not-authorised', detail });
}

/** The role the token grants: its role claim, a string or a list holding exactly one role. */
function roleOf(config: OidcConfig, payload: JWTPayload): Role {
  const claim = payload[config.roleClaim];
  const values = Array.isArray(claim) ? claim : claim === undefined ? [] : [claim];
  const roles = ROLES.filter((role) => values.includes(role));
  if (roles.length !== 1) {
    throw personForbidden(
      `The access token's "${config.roleClaim}" claim must name one role of ${ROLES.join(', ')}` +
        ` (got ${JSON.stringify(claim ?? null)}); ask the programme team to assign you one.`,
    );
  }
  return roles[0] as Role;
}

async function principalOf(
  app: FastifyInstance,
  config: OidcConfig,
  payload: JWTPayload,
  findPartner: FindPartner,
): Promise<Principal> {
  const issuer = config.issuer;
  const subject = payload.sub as string;
  const role = roleOf(config, payload);
  const partnerCode =
    role === 'partner' ? await partnerOf(app, config, payload, findPartner) : null;
  const name = displayName(payload);
  return {
    kind: 'person',
    id: personId(issuer, subject),
    ...(name === undefined ? {} : { name }),
    subject,
    issuer,
    role,
    partnerCode,
  };
}

/** A partner person's partner: the partner claim, naming a partner this service knows. */
async function partnerOf(
  app: FastifyInstance,
  config: OidcConfig,
  payload: JWTPayload,
  findPartner: FindPartner,
) {
  const claim = payload[config.partnerClaim];
  if (typeof claim !== 'string' || claim === '') {
    throw personForbidden(
      `A partner's access token must name the partner in its "${config.partnerClaim}" claim.`,
    );
  }
  if (claim.length > 40 || !(await findPartner(app.db, claim))) {
    throw personForbidden(
      `The access token's "${config.partnerClaim}" claim names an unknown partner` +
        ` (${JSON.stringify(claim.slice(0, 40))}).`,
    );
  }
  return claim;
}

function displayName(payload: JWTPayload): string | undefined {
  for (const claim of ['name', 'preferred_username', 'email']) {
    const value = payload[claim];
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 200);
  }
  return undefined;
}
