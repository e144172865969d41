import { SIPPO_ERG_V1 } from '../../../migrations/data/0005_default_grid.js';
import type { Criterion, GridDefinition } from './definition.js';

/**
 * The programme's default grid, SIPPO-ERG version 1, as migration 0005 seeded it: its only copy
 * is the migration's data file (migration 0018 added Arabic texts in the database). The data is
 * plain JSON frozen in time, hence the assertion; test/grids/scoring.test.ts checks that it
 * passes today's grid rules.
 */
export const defaultGrid = SIPPO_ERG_V1 as GridDefinition;

/** Every criterion of the default grid, for seeding and tests. */
export const defaultGridCriteria: readonly Criterion[] = defaultGrid.dimensions.flatMap(
  (d) => d.criteria,
);
