import { type Static, Type } from 'typebox';
import { component, ref } from './components.js';

/** What became of one row of a bulk import (members, KPI values). */
export const ImportStatusSchema = component(
  'ImportStatus',
  Type.Enum(['created', 'updated', 'unchanged', 'failed']),
);
export type ImportStatus = Static<typeof ImportStatusSchema>;

export interface ImportRowResult {
  index: number;
  status: ImportStatus;
  id?: string;
  errors?: { pointer?: string; message: string }[];
}

/** The answer of every bulk import: counts by outcome, then one result per row, in order. */
export const ImportSummarySchema = component(
  'ImportSummary',
  Type.Object({
    dryRun: Type.Boolean({ description: 'True when nothing was written' }),
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    failed: Type.Integer(),
    results: Type.Array(
      Type.Object({
        index: Type.Integer({ description: 'Position of the row in the request' }),
        status: ref(ImportStatusSchema),
        id: Type.Optional(Type.String({ format: 'uuid' })),
        errors: Type.Optional(
          Type.Array(
            Type.Object({
              pointer: Type.Optional(
                Type.String({ description: 'JSON pointer into the request body' }),
              ),
              message: Type.String(),
            }),
          ),
        ),
      }),
    ),
  }),
);

export function summariseImport<R extends ImportRowResult>(results: R[], dryRun: boolean) {
  const count = (status: ImportStatus) => results.filter((r) => r.status === status).length;
  return {
    dryRun,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    results,
  };
}
