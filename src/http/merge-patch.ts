import type { FastifyInstance } from 'fastify';
import jsonMergePatch from 'json-merge-patch';

/**
 * JSON merge patches (RFC 7396) arrive as application/merge-patch+json; plain JSON is accepted
 * too. Registered once on the root so that every route plugin inherits the parser.
 */
export function registerMergePatch(app: FastifyInstance) {
  app.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
}

/** The document `patch` makes of `target`, leaving `target` itself untouched. */
export function applyMergePatch<T>(target: T, patch: unknown): T {
  return jsonMergePatch.apply(structuredClone(target), patch) as T;
}
