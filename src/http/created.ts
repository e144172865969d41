import type { FastifyInstance, FastifyReply } from 'fastify';

const LOCATION_HEADER = {
  type: 'string',
  format: 'uri-reference',
  description: 'The path of the created resource, e.g. `/v1/members/{id}`',
};

/** Answers 201 with the new resource's path in `Location` (RFC 9110 §15.3.2). */
export function created(reply: FastifyReply, location: string) {
  return reply.status(201).header('location', location);
}

/**
 * Every documented 201 says it carries `Location`: the route's 201 schema is wrapped, once, in
 * a response with that header (Fastify serialises with the schema inside `content`).
 */
export function registerCreatedLocation(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const response = route.schema?.response as Record<string, object> | undefined;
    const schema = response?.['201'];
    if (!response || !schema || route.schema?.hide) return;
    response['201'] = {
      description: 'Created',
      headers: { location: LOCATION_HEADER },
      content: { 'application/json': { schema } },
    };
  });
}
