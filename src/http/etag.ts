import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  RouteOptions,
} from 'fastify';
import { type TObject, Type } from 'typebox';
import { HttpProblem } from './problem.js';

const IfMatchValue = Type.String({
  description: 'The `ETag` of the version being updated, e.g. `"3"`',
});

/**
 * The headers of an update that needs If-Match. Declaring them is enough: the contract marks
 * the header required and a request without it is answered 428 before validation (which would
 * say 400), by the hook registerIfMatch adds to every route that declares them.
 */
export const IfMatchRequired = Type.Object({ 'if-match': IfMatchValue });

/** The headers of an update where If-Match is optional (absent: unconditional). */
export const IfMatchOptional = Type.Object({ 'if-match': Type.Optional(IfMatchValue) });

const preconditionRequired = () =>
  new HttpProblem({
    type: 'precondition-required',
    detail: 'This update needs an If-Match header with the ETag of the version you read.',
  });

const isMissing = (header: string | undefined): header is undefined | '' =>
  header === undefined || header === '';

/** Routes declaring IfMatchRequired answer 428 without the header (see IfMatchRequired). */
export function registerIfMatch(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    // By `required`, not identity: other hooks copy the headers schema (plugins/idempotency.ts).
    const headers = route.schema?.headers as { required?: string[] } | undefined;
    if (!headers?.required?.includes('if-match')) return;
    const refuseWithoutIfMatch = async (request: FastifyRequest) => {
      if (isMissing(request.headers['if-match'])) throw preconditionRequired();
    };
    const hooks = route.preValidation;
    route.preValidation = [refuseWithoutIfMatch, ...(hooks ? [hooks].flat() : [])];
  });
}

/**
 * If-Match as sent: undefined when absent, `*` (RFC 9110's "any current version") or the
 * version it names; 412 when it cannot name any version.
 */
export function ifMatch(request: FastifyRequest): number | '*' | undefined {
  const header = request.headers['if-match'];
  if (isMissing(header)) return undefined;
  if (header.trim() === '*') return '*';
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw staleVersion();
  return Number(match[1]);
}

/** The version an update is conditioned on, if any: `*` and no If-Match both mean any. */
export function optionalVersion(request: FastifyRequest): number | undefined {
  const version = ifMatch(request);
  return version === '*' ? undefined : version;
}

/** The version an update that needs If-Match is conditioned on: 428 when it is missing. */
export function expectedVersion(request: FastifyRequest): number | undefined {
  if (isMissing(request.headers['if-match'])) throw preconditionRequired();
  return optionalVersion(request);
}

export function setVersionTag(reply: FastifyReply, version: number) {
  reply.header('etag', `"${version}"`);
}

export function staleVersion(current?: number) {
  return new HttpProblem({
    type: 'stale-version',
    detail:
      current === undefined
        ? 'If-Match does not name the current version.'
        : `If-Match does not name the current version (${current}); reload and retry.`,
    ...(current === undefined ? {} : { headers: { etag: `"${current}"` } }),
  });
}

/** The entity-tags an If-None-Match header lists (weak or strong), or `*`. */
function listedTags(header: string): string[] | '*' {
  if (header.trim() === '*') return '*';
  return header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
}

/** RFC 9110 §13.1.2: If-None-Match compares weakly — `W/"3"` matches `"3"`. */
function noneMatch(header: string, etag: string): boolean {
  const tags = listedTags(header);
  return tags !== '*' && !tags.includes(etag.replace(/^W\//, ''));
}

const NOT_MODIFIED = {
  description: 'Not Modified: `If-None-Match` named the current `ETag`; no body',
  type: 'null',
};

/** A GET of one resource (its path ends with a parameter) may answer 304. */
const isSingleResourceGet = (route: RouteOptions) =>
  route.method === 'GET' && /\/:[^/]+$/.test(route.url) && !!route.schema && !route.schema.hide;

/**
 * Conditional GET, once for every route: a GET whose answer carries an ETag that the request's
 * If-None-Match names is answered 304 without a body (the handler still runs: the ETag is
 * known only once the resource is read). Documented on single-resource GETs.
 */
export function registerConditionalGet(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    if (!isSingleResourceGet(route)) return;
    const schema = route.schema as FastifySchema;
    const response = (schema.response ?? {}) as Record<string, unknown>;
    response['304'] ??= NOT_MODIFIED;
    schema.response = response;
    const headers = (schema.headers ?? Type.Object({})) as TObject;
    schema.headers = Type.Object(
      {
        ...headers.properties,
        'if-none-match': Type.Optional(
          Type.String({ description: 'An `ETag` you hold: 304 while it is current' }),
        ),
      },
      { additionalProperties: true },
    );
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const header = request.headers['if-none-match'];
    const etag = reply.getHeader('etag');
    if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
    if (reply.statusCode !== 200 || !header || typeof etag !== 'string') return payload;
    if (noneMatch(header, etag)) return payload;
    reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    return '';
  });
}
