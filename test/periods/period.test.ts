import t from 'tap';
import {
  addDays,
  contains,
  InvalidPeriodError,
  overlaps,
  parsePeriod,
  periodsInRange,
  tryParsePeriod,
} from '../../src/modules/periods/period.js';

t.test('parses the three kinds with their first and last days', async (t) => {
  t.match(parsePeriod('2025'), {
    code: '2025',
    kind: 'year',
    start: '2025-01-01',
    end: '2025-12-31',
  });
  t.match(parsePeriod('2025Q3'), {
    code: '2025Q3',
    kind: 'quarter',
    index: 3,
    start: '2025-07-01',
    end: '2025-09-30',
  });
  t.match(parsePeriod('2025Q1'), { start: '2025-01-01', end: '2025-03-31' });
  t.match(parsePeriod('2025-07'), {
    code: '2025-07',
    kind: 'month',
    start: '2025-07-01',
    end: '2025-07-31',
  });
  t.match(parsePeriod('2024-02'), { end: '2024-02-29' }, 'leap year');
  t.match(parsePeriod('2025-02'), { end: '2025-02-28' });
  t.match(parsePeriod('1900-02'), { end: '1900-02-28' }, 'century not divisible by 400');
});

t.test('rejects what is not a period, saying why', async (t) => {
  for (const [text, reason] of [
    ['2025Q5', /Q1–Q4/],
    ['2025Q0', /Q1–Q4/],
    ['2025Q10', /Q1–Q4/],
    ['2025-13', /01–12/],
    ['2025-00', /01–12/],
    ['2025-7', /YYYY/],
    ['25', /YYYY/],
    ['2025q3', /YYYY/],
    ['', /YYYY/],
    [' 2025', /YYYY/],
    ['1899', /year/],
  ] as const) {
    t.throws(() => parsePeriod(text), { constructor: InvalidPeriodError, message: reason }, text);
    t.equal(tryParsePeriod(text), undefined);
  }
});

t.test('contains and overlaps', async (t) => {
  const year = parsePeriod('2025');
  const q1 = parsePeriod('2025Q1');
  const feb = parsePeriod('2025-02');
  const apr = parsePeriod('2025-04');
  t.ok(contains(year, q1));
  t.ok(contains(q1, feb));
  t.notOk(contains(q1, year));
  t.notOk(contains(q1, apr));
  t.ok(overlaps(q1, year));
  t.ok(overlaps(year, q1));
  t.notOk(overlaps(q1, apr));
  t.notOk(overlaps(parsePeriod('2024'), q1));
});

t.test('periods in a range', async (t) => {
  t.same(
    periodsInRange('2024-11-15', '2025-04-01', 'quarter').map((p) => p.code),
    ['2024Q4', '2025Q1', '2025Q2'],
  );
  t.same(
    periodsInRange('2024-12-31', '2025-02-01', 'month').map((p) => p.code),
    ['2024-12', '2025-01', '2025-02'],
  );
  t.same(
    periodsInRange('2023-01-01', '2025-12-31', 'year').map((p) => p.code),
    ['2023', '2024', '2025'],
  );
  t.same(periodsInRange('2025-02-01', '2025-01-01', 'month'), []);
  t.equal(addDays('2025-03-01', -1), '2025-02-28');
  t.equal(addDays('2024-12-31', 1), '2025-01-01');
});
