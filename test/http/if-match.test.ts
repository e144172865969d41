import { randomUUID } from 'node:crypto';
import t from 'tap';
import { startTestApp } from '../helpers/app.js';

interface Parameter {
  $ref?: string;
  in?: string;
  name?: string;
  required?: boolean;
}
type Operation = { operationId: string; parameters?: Parameter[] };

/** Path parameters that reach the If-Match check: it comes before validation and lookup. */
const fill = (path: string) => path.replace(/\{[^}]+\}/g, () => randomUUID());

t.test('every operation documenting If-Match as required answers 428 without it', async (t) => {
  const { api } = await startTestApp(t);
  const doc = (await api({ method: 'GET', url: '/openapi.json', key: null })).json();
  t.same(doc.components.parameters.IfMatch, {
    schema: { type: 'string', pattern: doc.components.parameters.IfMatch.schema.pattern },
    in: 'header',
    name: 'if-match',
    required: true,
    description: 'The `ETag` of the version being updated, e.g. `"3"`',
  });

  const needing: string[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation>>))
    for (const [method, operation] of Object.entries(item)) {
      const required = operation.parameters?.some(
        (p) => p.$ref === '#/components/parameters/IfMatch',
      );
      if (!required) continue;
      needing.push(operation.operationId);
      const res = await api({ method: method.toUpperCase() as 'PUT', url: fill(path), body: {} });
      t.equal(res.statusCode, 428, `${method} ${path}`);
      t.equal(res.json().type, 'urn:jahiz:problem:precondition-required');
    }
  t.same(needing.sort(), [
    'patchActivity',
    'patchAssessment',
    'patchMember',
    'patchWebhook',
    'replaceKpiTargets',
    'updateGrid',
    'updateKpi',
  ]);
});

t.test('If-Match stays optional where an update may go without it', async (t) => {
  const { api } = await startTestApp(t);
  const doc = (await api({ method: 'GET', url: '/openapi.json', key: null })).json();
  const optional = (path: string, method: string) =>
    (doc.paths[path][method].parameters as Parameter[]).some(
      (p) => p.$ref === '#/components/parameters/IfMatchOptional',
    );
  t.ok(optional('/v1/members/{id}', 'delete'), 'withdrawing a member');
  t.ok(optional('/v1/grids/{id}/publish', 'post'), 'publishing a grid');
  t.ok(optional('/v1/grids/{id}/retire', 'post'), 'retiring a grid');
  t.ok(optional('/v1/partners/{code}/members/{externalRef}', 'put'), 'the sync PUT (docs/sync.md)');

  // Without If-Match the request reaches the resource: here, one that does not exist.
  const res = await api({ method: 'DELETE', url: `/v1/members/${randomUUID()}` });
  t.equal(res.statusCode, 404);
});
