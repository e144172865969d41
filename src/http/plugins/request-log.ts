import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { redactUrl } from './credentials-in-url.js';

/**
 * One log line per request, written when it has been answered, instead of Fastify's two
 * ("incoming request" and "request completed"): the line costs about as much as the rest of a
 * simple read's bookkeeping (bench/findings.md). It names the request (its id comes from the
 * request's logger), its method and URL, the status and the time taken; no headers, so no
 * key or cookie can reach it, and a credential-like query parameter is redacted. Errors and Fastify's other lines are logged as before.
 */
export class RequestLog extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest() {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    if (error) {
      super.requestCompleted(error, request, reply);
      return;
    }
    reply.log.info(
      {
        method: request.method,
        // A key wrongly sent in the query is refused, and never written down.
        url: redactUrl(request.url),
        statusCode: reply.statusCode,
        responseTime: reply.elapsedTime,
      },
      'request completed',
    );
  }
}
