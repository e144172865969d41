import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import stringify from 'safe-stable-stringify';
import {
  claimRecord,
  completeRecord,
  dropRunningRecord,
  findRecord,
  type IdempotencyScope,
  purgeExpiredIdempotencyKeys,
  type StoredResponse,
} from '../../db/stores/idempotency.js';
import type { StoredHeaders } from '../../db/tables/idempotency-keys.js';
import { badRequest, HttpProblem } from '../problem.js';
import { runWhileListening } from './periodic.js';

/**
 * Idempotent POSTs (docs/integrators.md → Idempotency), for every POST route at once. A request carrying
 * `Idempotency-Key` is recorded, after authentication and validation, under its scope (the
 * caller, an API key or a person; method; path). A repeat within 24 h replays the first
 * response; a repeat with another body is a 422; a repeat while the first still runs is a 409.
 * Records live in the database (src/db/stores/idempotency.ts), so they hold across restarts and instances; expired ones are
 * purged when the service starts listening and then hourly. Stored bodies are encrypted with a
 * key derived from the caller's bearer credential (API key or access token), which the database
 * never holds: a response carrying a new API key or a person's contacts is not readable from
 * the table.
 *
 * What is kept is bounded (docs/security.md → Idempotency storage): a dry run is not kept (it
 * wrote nothing, so a repeat computes it again); other bodies are compressed, and one still
 * larger than MAX_STORED_BODY_BYTES is not kept: a repeat is then a 410 saying so. Erasing a
 * member's personal data withholds the stored responses about it the same way.
 */

const HEADER = 'idempotency-key';
/** Visible ASCII; the length is checked apart so that each problem is reported once. */
const KEY_PATTERN = '^[\\x21-\\x7E]*$';
const VALID_KEY = /^[\x21-\x7E]{1,255}$/;
const PURGE_INTERVAL_MS = 60 * 60 * 1000;
/** Response headers kept and replayed with the body. */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'] as const;
/** Largest body kept for a replay, compressed and sealed (a 1,000-row import fits in it). */
export const MAX_STORED_BODY_BYTES = 64 * 1024;
/** Marks a body stored compressed (records written before were not). */
const COMPRESSED = 'z1.';

interface Claim {
  scope: IdempotencyScope;
  /** Encrypts the stored body; derived from the caller's bearer key, never stored. */
  cipherKey: Buffer;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set while this request owns an idempotency record, to be completed when it answers. */
    idempotencyClaim: Claim | null;
  }
}

const KeyParameter = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  pattern: KEY_PATTERN,
  description:
    'Makes the POST safe to retry (1–255 visible ASCII characters, e.g. a UUID). For 24 h a ' +
    'repeat with the same key, method, path and body from the same caller replays the first ' +
    'response with `Idempotent-Replayed: true`; the same key with another body is a 422, and a ' +
    'repeat while the first is still running is a 409 with `Retry-After`.',
};

export function registerIdempotency(app: FastifyInstance) {
  app.decorateRequest('idempotencyClaim', null);
  app.addHook('onRoute', documentKeyHeader);
  // Only POST routes can claim a record: the hooks are theirs alone, so that reads do not pay
  // two async hooks each (bench/ablation.md). First among the route's own hooks, so it runs
  // after authentication (onRequest) and validation, before anything else the route does:
  // refused requests are never recorded.
  const claimHook = (request: FastifyRequest, reply: FastifyReply) =>
    claimOrReplay(app, request, reply);
  const completeHook = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    await complete(app, request, reply, payload);
    return payload;
  };
  app.addHook('onRoute', (route) => {
    if (!methodsOf(route).includes('POST')) return;
    route.preHandler = [claimHook, ...hookList(route.preHandler)];
    route.onSend = [completeHook, ...hookList(route.onSend)];
  });
  runWhileListening(app, 'purge of expired idempotency keys', PURGE_INTERVAL_MS, () =>
    purgeExpiredIdempotencyKeys(app.db),
  );
}

function methodsOf(route: RouteOptions): string[] {
  return Array.isArray(route.method) ? route.method : [route.method];
}

function hookList<T>(hooks: T | T[] | undefined): T[] {
  if (hooks === undefined) return [];
  return Array.isArray(hooks) ? hooks : [hooks];
}

/** Adds the header to the documentation and validation of every POST route. */
function documentKeyHeader(route: RouteOptions) {
  if (!methodsOf(route).includes('POST') || !route.schema || route.schema.hide) return;
  const headers = (route.schema.headers ?? {}) as Record<string, unknown>;
  // Fastify also accepts a bare map of properties as a headers schema.
  const isObjectSchema = 'properties' in headers || headers.type === 'object';
  const properties = (isObjectSchema ? headers.properties : headers) as Record<string, unknown>;
  route.schema.headers = {
    ...(isObjectSchema ? headers : { type: 'object' }),
    properties: { ...properties, [HEADER]: KeyParameter },
  };
}

/** The request's scope, or null when it does not ask for idempotency. */
function scopeOf(request: FastifyRequest): IdempotencyScope | null {
  const key = request.headers[HEADER];
  if (request.method !== 'POST' || key === undefined || !request.principal) return null;
  if (typeof key !== 'string' || !VALID_KEY.test(key)) {
    throw badRequest('The Idempotency-Key header is invalid.', [
      { parameter: HEADER, message: 'must be 1–255 visible ASCII characters' },
    ]);
  }
  return {
    callerId: request.principal.id,
    method: request.method,
    path: request.url.split('?')[0] ?? request.url,
    key,
  };
}

/** The body and query as canonical JSON (sorted keys), hashed. */
function fingerprintOf(request: FastifyRequest): string {
  const canonical = stringify({ body: request.body ?? null, query: request.query ?? {} }) ?? '';
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

async function claimOrReplay(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  const scope = scopeOf(request);
  if (!scope) return;
  const fingerprint = fingerprintOf(request);
  const cipherKey = cipherKeyOf(request, scope);
  const lockSeconds = Math.ceil((2 * app.config.requestTimeoutMs) / 1000);
  // A few rounds: a record may vanish between the claim and the read (its request failed).
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await claimRecord(app.db, scope, fingerprint, lockSeconds)) {
      request.idempotencyClaim = { scope, cipherKey };
      return;
    }
    const existing = await findRecord(app.db, scope);
    if (!existing) continue;
    if (existing.fingerprint !== fingerprint) {
      throw new HttpProblem({
        type: 'idempotency-key-reused',
        detail: 'This Idempotency-Key was used for a different request body; use a new key.',
      });
    }
    if (existing.state === 'completed' && existing.responseWithheld !== null) {
      throw withheld(existing.responseWithheld, existing.responseHeaders);
    }
    if (existing.state === 'completed' && existing.responseStatus !== null) {
      return replay(reply, existing, cipherKey);
    }
    break;
  }
  throw new HttpProblem({
    type: 'idempotency-in-progress',
    detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
    headers: { 'retry-after': '1' },
  });
}

const WITHHELD = {
  'personal-data-erased': {
    type: 'idempotent-response-personal-data-erased',
    detail:
      'The request was applied, but its response held personal data that has since been erased; ' +
      'read the resource instead.',
  },
  'too-large': {
    type: 'idempotent-response-too-large',
    detail:
      'The request was applied, but its response was too large to keep for a replay; read the ' +
      'resources it changed instead.',
  },
} as const;

/** A repeat of a request whose response is no longer kept: applied once, never again. */
function withheld(reason: keyof typeof WITHHELD, headers: StoredHeaders | null) {
  return new HttpProblem({
    ...WITHHELD[reason],
    headers: headers?.location ? { location: headers.location } : {},
  });
}

function replay(reply: FastifyReply, stored: StoredResponse, cipherKey: Buffer) {
  let body: string;
  try {
    body = unseal(cipherKey, stored.responseBody ?? '');
  } catch {
    // A person's access token is renewed every few minutes: a repeat sent with a newer one
    // cannot read the first answer (docs/people.md). The request was carried out all the same.
    throw new HttpProblem({
      type: 'idempotency-key-used',
      detail:
        'This request was already carried out with this Idempotency-Key; its answer can be ' +
        'replayed only with the credentials that sent it. Read the record instead.',
    });
  }
  reply.code(stored.responseStatus ?? 200);
  for (const [name, value] of Object.entries(stored.responseHeaders ?? {})) {
    reply.header(name, value);
  }
  reply.header('idempotent-replayed', 'true');
  return reply.send(body);
}

/**
 * Keeps the answer of a request that owns its record, before it is sent (a retry arriving
 * right after must find it). A 400 or 5xx is not kept: the record is dropped so that the
 * client may fix or retry its request with the same key.
 */
async function complete(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
) {
  const claim = request.idempotencyClaim;
  if (!claim) return;
  request.idempotencyClaim = null;
  const { scope, cipherKey } = claim;
  const status = reply.statusCode;
  const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload.toString() : null;
  const keep =
    status !== 400 && status < 500 && (body !== null || payload == null) && !isDryRun(request);
  try {
    if (!keep) {
      await dropRunningRecord(app.db, scope);
      return;
    }
    const sealed = seal(cipherKey, deflateRawSync(body ?? ''));
    const tooLarge = sealed.length > MAX_STORED_BODY_BYTES;
    await completeRecord(app.db, scope, {
      status,
      headers: keptHeaders(reply),
      body: tooLarge ? null : sealed,
      withheld: tooLarge ? 'too-large' : null,
      subject: subjectOf(scope, status, body),
    });
  } catch (error) {
    // The write itself succeeded: answer it. The record stays running until its lock ends.
    request.log.error({ err: error }, 'could not store the idempotent response');
  }
}

/** A dry run writes nothing: repeating it is safe, so its (possibly large) answer is not kept. */
function isDryRun(request: FastifyRequest): boolean {
  const body = request.body as { dryRun?: unknown } | null | undefined;
  return typeof body === 'object' && body !== null && body.dryRun === true;
}

/**
 * The resource a kept response is about: what a 201 created (the path and the `id` of its
 * body), else the request path. Erasure finds the copies of personal data by it.
 */
function subjectOf(scope: IdempotencyScope, status: number, body: string | null): string {
  if (status !== 201 || body === null) return scope.path;
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? `${scope.path}/${id}` : scope.path;
  } catch {
    return scope.path;
  }
}

function keptHeaders(reply: FastifyReply): StoredHeaders {
  const kept: StoredHeaders = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) kept[name] = String(value);
  }
  return kept;
}

function cipherKeyOf(request: FastifyRequest, scope: IdempotencyScope): Buffer {
  const bearer = /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const info = `${scope.method} ${scope.path} ${scope.key}`;
  return Buffer.from(hkdfSync('sha256', bearer, 'jahiz idempotency', info, 32));
}

/** AES-256-GCM of the compressed body; stored as base64 `z1.iv.tag.ciphertext`. */
function seal(cipherKey: Buffer, compressed: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cipherKey, iv);
  const sealed = Buffer.concat([cipher.update(compressed), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64'));
  return COMPRESSED + parts.join('.');
}

function unseal(cipherKey: Buffer, stored: string): string {
  const compressed = stored.startsWith(COMPRESSED);
  const [iv = '', tag = '', sealed = ''] = stored
    .slice(compressed ? COMPRESSED.length : 0)
    .split('.');
  const decipher = createDecipheriv('aes-256-gcm', cipherKey, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  const plain = Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]);
  return (compressed ? inflateRawSync(plain) : plain).toString('utf8');
}
