import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { HttpProblem } from './problem.js';

/** Request headers of every conditional update (documented in the contract). */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({ description: 'The `ETag` of the version being updated, e.g. `"3"`' }),
  ),
});

export function setVersionTag(reply: FastifyReply, version: number) {
  reply.header('etag', `"${version}"`);
}

/**
 * The version an update is conditioned on: 428 when If-Match is missing, 412 when it cannot
 * name any version. `*` is RFC 9110's "any current version" and yields undefined.
 */
export function expectedVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header === '') {
    throw new HttpProblem({
      status: 428,
      slug: 'precondition-required',
      detail: 'This update needs an If-Match header with the ETag of the version you read.',
    });
  }
  if (header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw staleVersion();
  return Number(match[1]);
}

export function staleVersion(current?: number) {
  return new HttpProblem({
    status: 412,
    slug: 'stale-version',
    detail:
      current === undefined
        ? 'If-Match does not name the current version.'
        : `If-Match does not name the current version (${current}); reload and retry.`,
    ...(current === undefined ? {} : { headers: { etag: `"${current}"` } }),
  });
}
