import { createHash } from 'node:crypto';
import t from 'tap';
import { SIPPO_ERG_V1 } from '../../migrations/data/0005_default_grid.js';
import { defaultGrid } from '../../src/modules/grids/default-grid.js';

/**
 * Every database seeded SIPPO-ERG v1 from this data; partners' assessments were scored by it.
 * A change must be a new grid version, never an edit of version 1.
 */
const VERSION_1_SHA256 = '27788ec79a38fc868fbaba67170e4ed9014806f0abf0097f36b0f5ee245a616b';

t.test('the default grid version 1 never changes', async (t) => {
  const hash = createHash('sha256').update(JSON.stringify(SIPPO_ERG_V1)).digest('hex');
  t.equal(hash, VERSION_1_SHA256, 'migrations/data/0005_default_grid.ts is as first published');
  t.same(defaultGrid, SIPPO_ERG_V1, 'the service reads that data, unchanged');
});
