import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { GridDefinition } from '../../modules/grids/definition.js';

export type GridStatus = 'draft' | 'published' | 'retired';

/** A version of a readiness grid. The definition never changes once published. */
export interface GridsTable {
  id: string;
  code: string;
  /** The grid's version number within its code (1, 2, …). */
  version: number;
  status: ColumnType<GridStatus, GridStatus | undefined, GridStatus>;
  definition: JSONColumnType<GridDefinition, string, string>;
  /** Bumped on every write: the grid's ETag (`version` is taken by the version number). */
  revision: Generated<number>;
  publishedAt: string | null;
  retiredAt: string | null;
  createdAt: ColumnType<string, never, never>;
  updatedAt: ColumnType<string, never, string>;
}
