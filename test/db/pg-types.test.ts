import t from 'tap';
import { toIsoTimestamp } from '../../src/db/pg-types.js';

t.test('timestamps read from PostgreSQL are what Date#toISOString makes of them', async (t) => {
  const samples = [
    '2026-11-29 18:42:27.446544+00',
    '2026-11-29 18:42:27.999999+00',
    '2026-11-29 18:42:27.5+00',
    '2026-11-29 18:42:27+00',
    '0999-01-01 00:00:00+00',
    '2026-11-29 19:42:27.446544+01',
    '2026-11-29 18:42:27.446544+05:30',
  ];
  // Random instants with 0 to 6 fractional digits, as PostgreSQL trims trailing zeros.
  for (let i = 0; i < 2000; i += 1) {
    const instant = new Date(Math.floor(Math.random() * 4e12) - 1e12).toISOString();
    const micros = String(Math.floor(Math.random() * 1e6))
      .padStart(6, '0')
      .slice(0, i % 7);
    samples.push(
      `${instant.slice(0, 10)} ${instant.slice(11, 19)}${micros ? `.${micros}` : ''}+00`,
    );
  }
  for (const value of samples) {
    const expected = new Date(value).toISOString();
    if (toIsoTimestamp(value) !== expected) t.fail(`${value} → ${toIsoTimestamp(value)}`);
  }
  t.pass(`${samples.length} values agree`);
});
