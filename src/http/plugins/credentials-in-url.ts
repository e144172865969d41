import type { FastifyInstance } from 'fastify';
import { HttpProblem } from '../problem.js';

/**
 * Keys travel only in the Authorization header (docs/security.md): a URL is kept in proxy and
 * browser histories and in logs. A query parameter that looks like a credential is refused
 * (400) before anything else reads it, and the request's log line shows it redacted.
 */
const CREDENTIAL_PARAMETER =
  /^(api[_-]?key|key|access[_-]?token|token|auth|authorization|bearer|jwt|password|secret)$/i;

/** The query parameters of a URL that look like credentials. */
function credentialParameters(url: string): string[] {
  const query = url.indexOf('?');
  if (query < 0) return [];
  const names = [...new URLSearchParams(url.slice(query + 1)).keys()];
  return [...new Set(names.filter((name) => CREDENTIAL_PARAMETER.test(name)))];
}

/** The URL with the values of credential-like parameters replaced, for logs. */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0 || credentialParameters(url).length === 0) return url;
  const params = new URLSearchParams(url.slice(query + 1));
  const kept = [...params].map(([name, value]) =>
    CREDENTIAL_PARAMETER.test(name) ? `${name}=[redacted]` : `${name}=${encodeURIComponent(value)}`,
  );
  return `${url.slice(0, query)}?${kept.join('&')}`;
}

export function refuseCredentialsInUrl(app: FastifyInstance) {
  app.addHook('onRequest', (request, _reply, done) => {
    const names = credentialParameters(request.url);
    if (names.length === 0) return done();
    done(
      new HttpProblem({
        type: 'credentials-in-url',
        detail:
          'API keys are accepted in the Authorization header only (Authorization: Bearer <key>), ' +
          'never in the URL; revoke a key that was sent in one.',
        errors: names.map((parameter) => ({ parameter, message: 'is not accepted in the URL' })),
      }),
    );
  });
}
