import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem, sendProblem } from '../problem.js';
import type { ProblemType } from '../schemas/problem-types.js';
import { ClientGone } from './admission.js';
import { toFieldErrors } from './validation.js';

/** Maps everything thrown by a route or by Fastify to a problem document. */
export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error, request);
    logOutcome(request, error, problem);
    return sendProblem(reply, problem);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      new HttpProblem({
        type: 'not-found',
        detail: `No route ${request.method} ${request.url.split('?')[0]}.`,
      }),
    ),
  );
}

/**
 * A refusal of the caller's request is info; a 5xx the service answers on purpose because it
 * cannot serve now (busy, overloaded, database unavailable) is warn, so that it does not page
 * anyone as a fault would; only the unexpected (`internal`) is an error, with its stack.
 */
function logOutcome(request: FastifyRequest, error: Error, problem: HttpProblem) {
  if (error instanceof ClientGone) {
    // Nobody reads this answer: the connection is closed. Not a failure of ours.
    request.log.info('the client left while its request waited for a slot');
  } else if (problem.status < 500) {
    request.log.info({ status: problem.status, detail: problem.message }, 'request refused');
  } else if (problem.type === 'internal') {
    request.log.error({ err: error }, 'request failed');
  } else {
    const cause = error instanceof HttpProblem ? {} : { err: error };
    request.log.warn(
      { status: problem.status, type: problem.type, ...cause },
      'request not served now',
    );
  }
}

/**
 * Errors Fastify meets before any route runs (a path segment longer than the router allows, a
 * malformed URL): problem documents too, without echoing the URL. Wired as `frameworkErrors`.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  request.log.info({ status: tooLong ? 414 : 400, code: error.code }, 'request refused');
  return sendProblem(
    reply,
    new HttpProblem({
      type: tooLong ? 'uri-too-long' : 'bad-request',
      detail: tooLong ? 'A path segment is longer than allowed.' : 'The URL is malformed.',
    }),
  );
}

function toProblem(error: FastifyError, request: FastifyRequest): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof ClientGone) return new HttpProblem({ type: 'busy', detail: error.message });
  if (error.validation) {
    const errors = toFieldErrors(error.validation, error.validationContext ?? 'body');
    return new HttpProblem({
      type: 'validation',
      detail: `The request ${error.validationContext ?? 'body'} is invalid: ${errors.length} problem(s).`,
      errors,
      // Tells a refusal by the documented schema apart from one by a domain rule (same type).
      extensions: { source: 'schema' },
    });
  }
  const database = databaseProblem(error) ?? constraintProblem(error);
  if (database) return database;
  const status = error.statusCode;
  if (status && status >= 400 && status < 500) {
    return new HttpProblem({ type: clientErrorType(error), detail: clientDetail(error) });
  }
  return new HttpProblem({
    type: 'internal',
    detail: `An unexpected error occurred; it was logged with request id ${request.id}.`,
  });
}

/** The problem type of a client error raised by Fastify or a plugin, by its code or status. */
function clientErrorType(error: FastifyError): ProblemType {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'body-too-large';
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'unsupported-media-type';
  // Any other client error of the framework (unreadable JSON, a bad Content-Length…) is a 400:
  // each type has one status, and these need no branch of their own in a client.
  return FRAMEWORK_TYPES[error.statusCode ?? 400] ?? 'bad-request';
}

const FRAMEWORK_TYPES: Partial<Record<number, ProblemType>> = {
  403: 'forbidden',
  404: 'not-found',
  413: 'body-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
};

function clientDetail(error: FastifyError): string {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return 'The request body is larger than allowed.';
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return 'The Content-Type is not supported; send application/json.';
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return 'The request body is not valid JSON.';
  }
  return error.message;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin shutdown
  '57P02', // crash shutdown
  '57P03', // cannot connect now
  '57014', // statement timeout / cancelled
  '53300', // too many connections
]);

/** Database failures that are the database's fault, not the caller's: 503 with Retry-After. */
function databaseProblem(error: Error & { code?: string }): HttpProblem | undefined {
  const code = error.code ?? '';
  const unavailable =
    UNAVAILABLE_CODES.has(code) ||
    code.startsWith('08') ||
    /timeout exceeded when trying to connect|Connection terminated|not queryable/i.test(
      error.message,
    );
  if (!unavailable) return undefined;
  return new HttpProblem({
    type: 'database-unavailable',
    detail: 'The database is not answering; try again shortly.',
    headers: { 'retry-after': '5' },
  });
}

/**
 * Constraint and input errors that escaped a module's own checks: still the caller's request,
 * answered without the SQL or constraint names.
 */
function constraintProblem(error: Error & { code?: string }): HttpProblem | undefined {
  const code = error.code ?? '';
  if (code === '23505' || code === '23503' || code === '40001' || code === '40P01') {
    return new HttpProblem({
      type: 'conflict',
      detail: 'The request conflicts with the current state of a record; reload and retry.',
    });
  }
  if (code.startsWith('22') || code === '23514' || code === '23502') {
    return new HttpProblem({
      type: 'validation',
      detail: 'A value in the request is out of range or malformed.',
    });
  }
  return undefined;
}
