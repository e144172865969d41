import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { ProblemSchema } from '../problem.js';
import { ref } from '../schemas/components.js';
import { shareRepeatedParts } from '../schemas/openapi-shared.js';
import { problemTypesTable } from '../schemas/problem-types.js';
import { withPlainText } from '../schemas/text.js';

const DESCRIPTION = [
  'Export-readiness and programme-monitoring service of the ASMEX / SIPPO / GIZ programme with',
  'the federations FENIP and AMITH.\n\nEvery `/v1` operation needs `Authorization: Bearer <api key>`',
  '(machines) or, where an identity provider is configured, `Bearer <access token>` of a',
  'signed-in person (`GET /v1/me` says who the caller is).',
  'Errors are `application/problem+json` (RFC 9457); validation errors list every problem in',
  '`errors`, each with a JSON `pointer` into the body or the `parameter` it concerns.\n\n**Idempotency.**',
  'Every `POST` accepts an `Idempotency-Key` header (1–255 visible ASCII',
  'characters). Its scope is the caller (API key or person), the method and the path. For 24',
  'hours a repeat with the same body replays the first status, body, `Content-Type`, `Location` and `ETag` with',
  '`Idempotent-Replayed: true`; the same key with another body is a 422',
  '(`urn:jahiz:problem:idempotency-key-reused`); a repeat while the first is still running is a',
  '409 (`urn:jahiz:problem:idempotency-in-progress`, with `Retry-After`). Requests refused before',
  'they run (401, 403, 400) and answers 400 or 5xx are not kept: fix or retry with the same key.',
].join(' ');

/** The problem types, each with its status and title (src/http/schemas/problem-types.ts). */
const PROBLEM_TYPES_SECTION =
  [
    '**Problem types.** Each problem `type` is `urn:jahiz:problem:<name>` and always comes with the',
    'same status and title: branch on the name (docs/integrators.md → Errors). Names may be added,',
    'never renamed.\n\n',
  ].join(' ') + problemTypesTable();

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref(ProblemSchema) } },
});

/**
 * A query parameter with a default is optional to callers even though handlers always see it
 * (ajv fills it in): the contract says so.
 */
function documentDefaults({ schema, url }: { schema: FastifySchema; url: string }) {
  const query = schema?.querystring as
    | { properties?: Record<string, { default?: unknown }>; required?: string[] }
    | undefined;
  if (!query?.required || !query.properties) return { schema, url };
  const properties = query.properties;
  const required = query.required.filter((name) => properties[name]?.default === undefined);
  return { schema: { ...schema, querystring: { ...query, required } }, url };
}

/** The request schemas as validated: free text carries the plain-text pattern (text.ts). */
function documentRequests({ schema, url }: { schema: FastifySchema; url: string }) {
  if (!schema) return { schema, url };
  const parts = ['body', 'querystring', 'params', 'headers'] as const;
  const documented: FastifySchema = { ...schema };
  for (const part of parts)
    if (schema[part] !== undefined) documented[part] = withPlainText(schema[part]);
  return documentDefaults({ schema: documented, url });
}

/** Every documented operation answers its errors as problem documents. */
function documentProblems(route: RouteOptions) {
  const schema = route.schema;
  if (!schema || schema.hide) return;
  const response = (schema.response ?? {}) as Record<string, unknown>;
  response['4XX'] ??= problemResponse('The request was refused; see `detail` and `errors`.');
  response['5XX'] ??= problemResponse('The service or its database is unavailable.');
  schema.response = response;
}

/** Generates the OpenAPI 3.1 document from the route schemas and serves it with a docs page. */
export async function registerOpenApi(app: FastifyInstance) {
  app.addHook('onRoute', documentProblems);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'jahiz API',
        version: '1.0.0',
        description: `${DESCRIPTION}\n\n${PROBLEM_TYPES_SECTION}`,
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
        contact: { name: 'ASMEX programme team' },
      },
      servers: [{ url: '/', description: 'The instance serving this document' }],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An API key issued by an admin (machines), or a person’s access token (a JWT) ' +
              'from the identity provider set by OIDC_ISSUER (docs/people.md).',
          },
        },
      },
      tags: [
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'partners', description: 'Partner federations (ASMEX, FENIP, AMITH)' },
        {
          name: 'members',
          description: 'Members of the partner federations (companies, cooperatives)',
        },
        { name: 'people', description: 'The caller: an API key or a signed-in person' },
        { name: 'audit', description: 'Who changed what, when (append-only)' },
        { name: 'kpis', description: 'KPI definitions, targets, reported values (docs/kpis.md)' },
        { name: 'periods', description: 'Reporting period locks' },
        {
          name: 'activities',
          description: 'Trainings, trade fairs, B2B missions, coaching, awareness',
        },
        { name: 'reports', description: 'KPI reports: JSON, CSV, IATI 2.03 XML and SVG charts' },
        { name: 'grids', description: 'Readiness grids, versioned, frozen once published' },
        { name: 'assessments', description: 'Assessments of members, and their readiness' },
        { name: 'events', description: 'The change feed: what jahiz wrote or decided, in order' },
        { name: 'webhooks', description: 'Events pushed to subscribers (Standard Webhooks)' },
        {
          name: 'field collection',
          description: 'Grids as XLSForms for KoboToolbox and ODK; their submissions imported',
        },
      ],
    },
    transform: documentRequests,
    // This app writes OpenAPI only (never Swagger 2), so the document is always `openapiObject`.
    transformObject: (document) =>
      shareRepeatedParts(
        'openapiObject' in document ? document.openapiObject : document.swaggerObject,
      ),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, persistAuthorization: true },
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/openapi.yaml', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/yaml; charset=utf-8').send(app.swagger({ yaml: true })),
  );
}
