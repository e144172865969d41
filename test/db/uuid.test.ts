import t from 'tap';
import { validate, version } from 'uuid';
import { uuidv7 } from '../../src/db/uuid.js';

t.test('ids: valid version-7 UUIDs, strictly increasing, time first', async (t) => {
  const before = Date.now();
  // Thousands of ids, most of them within one millisecond: ordering by id is by creation.
  const ids = Array.from({ length: 5000 }, () => uuidv7());
  const after = Date.now();
  t.ok(
    ids.every((id) => validate(id) && version(id) === 7),
    'every id is a valid v7 UUID',
  );
  t.ok(
    ids.every((id, i) => i === 0 || id > (ids[i - 1] as string)),
    'each id sorts after the one before',
  );
  const ms = Number.parseInt((ids[0] as string).replaceAll('-', '').slice(0, 12), 16);
  t.ok(ms >= before && ms <= after, 'the first 48 bits are the Unix time in milliseconds');
  t.equal((ids[0] as string)[19]?.match(/[89ab]/)?.length, 1, 'RFC 9562 variant');
});
