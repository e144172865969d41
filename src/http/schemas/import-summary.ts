import { type Static, Type } from 'typebox';
import { HttpProblem } from '../problem.js';
import { ref, responseComponent } from './components.js';

/** What became of one row of a bulk import (members, KPI values). */
const ImportStatusSchema = responseComponent(
  'ImportStatus',
  Type.Enum(['created', 'updated', 'unchanged', 'failed']),
);
export type ImportStatus = Static<typeof ImportStatusSchema>;

/** Who wrote a resource's current version: the kind of credential and its role. */
const LastChangedBySchema = responseComponent(
  'LastChangedBy',
  Type.Object({
    kind: Type.String({ description: '`key` (an API key) or `person`' }),
    role: Type.String({ description: '`admin`, `partner` or `reporting`' }),
  }),
);
type LastChangedBy = Static<typeof LastChangedBySchema>;

export interface ImportRowResult {
  index: number;
  status: ImportStatus;
  id?: string;
  externalRef?: string;
  version?: number;
  lastChangedBy?: LastChangedBy;
  errors?: { pointer?: string; message: string }[];
  /**
   * Set on a failed row whose failure is a conflict with what is stored (a locked period, an
   * ICE another member holds, a version conflict) rather than bad input; decides 409 or 422
   * when no row was applied. Never sent.
   */
  conflict?: boolean;
}

const RowResultSchema = Type.Object({
  index: Type.Integer({ description: 'Position of the row in the request' }),
  status: ref(ImportStatusSchema),
  id: Type.Optional(Type.String({ format: 'uuid' })),
  externalRef: Type.Optional(Type.String({ description: "The partner system's id of the row" })),
  version: Type.Optional(
    Type.Integer({
      description:
        'The version written (or left unchanged); on a version conflict, the current version',
    }),
  ),
  lastChangedBy: Type.Optional(ref(LastChangedBySchema)),
  errors: Type.Optional(
    Type.Array(
      Type.Object({
        pointer: Type.Optional(Type.String({ description: 'JSON pointer into the request body' })),
        message: Type.String(),
      }),
    ),
  ),
});

const summaryProperties = {
  dryRun: Type.Boolean({ description: 'True when nothing was written' }),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  failed: Type.Integer(),
  results: Type.Array(RowResultSchema),
};

/** The answer of every bulk import: counts by outcome, then one result per row, in order. */
const ImportSummarySchema = responseComponent('ImportSummary', Type.Object(summaryProperties));

/**
 * The summary as a problem document, answered when no row was applied. Every member is
 * optional so that the route's other 409/422 problems (idempotency) serialise with it too.
 */
const ImportProblemSchema = responseComponent(
  'ImportProblem',
  Type.Object(
    {
      type: Type.String(),
      title: Type.String(),
      status: Type.Integer(),
      detail: Type.String(),
      ...Object.fromEntries(
        Object.entries(summaryProperties).map(([name, schema]) => [name, Type.Optional(schema)]),
      ),
    },
    {
      additionalProperties: true,
      description: 'No row was applied: the import summary as an RFC 9457 problem document',
    },
  ),
);

const asProblem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref(ImportProblemSchema) } },
});

/** The responses of an import route: the summary, or the problem when nothing was applied. */
export const ImportResponses = {
  200: ref(ImportSummarySchema),
  409: asProblem('No row was applied and every failure is a conflict with what is stored'),
  422: asProblem('No row was applied and some row is invalid'),
};

const applied = (r: ImportRowResult) => r.status !== 'failed';

/**
 * Counts the results of an import. When rows were sent, none was applied and it is not a dry
 * run, throws the summary as a problem document instead (docs/sync.md): 409 when every failure
 * is a conflict with what is stored, else 422 — so a client checking the status never takes a
 * refused import for a success. Nothing was written then, so rolling back is harmless.
 */
export function summariseImport(results: ImportRowResult[], dryRun: boolean) {
  const count = (status: ImportStatus) => results.filter((r) => r.status === status).length;
  const summary = {
    dryRun,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    results: results.map(({ conflict: _internal, ...sent }) => sent),
  };
  if (dryRun || results.length === 0 || results.some(applied)) return summary;
  const allConflicts = results.every((r) => r.conflict === true);
  throw new HttpProblem({
    type: allConflicts ? 'import-conflict' : 'import-rejected',
    detail: allConflicts
      ? `No row was applied: all ${results.length} conflict with what is stored (see results).`
      : `No row was applied: ${results.length} row(s) failed (see results).`,
    extensions: summary,
  });
}
