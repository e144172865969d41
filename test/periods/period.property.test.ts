import fc from 'fast-check';
import t from 'tap';
import {
  addDays,
  contains,
  monthOf,
  overlaps,
  type Period,
  parsePeriod,
  periodContaining,
  periodsInRange,
  quarterOf,
  subPeriods,
  YEAR_MAX,
  YEAR_MIN,
  yearOf,
} from '../../src/modules/periods/period.js';

// Seeded so a failure reproduces; FC_SEED / FC_RUNS explore further.
const RUNS = {
  seed: Number(process.env.FC_SEED ?? 42),
  numRuns: Number(process.env.FC_RUNS ?? 500),
};

const yearArb = fc.integer({ min: YEAR_MIN, max: YEAR_MAX - 1 });
const periodArb: fc.Arbitrary<Period> = fc.oneof(
  yearArb.map(yearOf),
  fc.tuple(yearArb, fc.integer({ min: 1, max: 4 })).map(([y, q]) => quarterOf(y, q)),
  fc.tuple(yearArb, fc.integer({ min: 1, max: 12 })).map(([y, m]) => monthOf(y, m)),
);
const dayArb = fc
  .date({
    min: new Date(Date.UTC(YEAR_MIN, 0, 1)),
    max: new Date(Date.UTC(YEAR_MAX - 1, 11, 31)),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

/** The parts follow one another without gap or overlap and cover exactly the whole. */
function partitions(whole: Period, parts: Period[]): boolean {
  if (parts.length === 0 || parts[0]!.start !== whole.start) return false;
  if (parts[parts.length - 1]!.end !== whole.end) return false;
  return parts.every((p, i) => i === 0 || p.start === addDays(parts[i - 1]!.end, 1));
}

t.test('start ≤ end, and parsing its own code gives the period back', async (t) => {
  fc.assert(
    fc.property(
      periodArb,
      (p) => p.start <= p.end && JSON.stringify(parsePeriod(p.code)) === JSON.stringify(p),
    ),
    RUNS,
  );
  t.pass();
});

t.test('the quarters of a year partition it', async (t) => {
  fc.assert(
    fc.property(yearArb, (y) => {
      const quarters = subPeriods(yearOf(y), 'quarter');
      return quarters.length === 4 && partitions(yearOf(y), quarters);
    }),
    RUNS,
  );
  t.pass();
});

t.test('the months of a quarter partition it', async (t) => {
  fc.assert(
    fc.property(yearArb, fc.integer({ min: 1, max: 4 }), (y, q) => {
      const months = subPeriods(quarterOf(y, q), 'month');
      return months.length === 3 && partitions(quarterOf(y, q), months);
    }),
    RUNS,
  );
  t.pass();
});

t.test('the period containing a day contains it, and contains ⇒ overlaps', async (t) => {
  fc.assert(
    fc.property(dayArb, fc.constantFrom('year', 'quarter', 'month' as const), (day, kind) => {
      const p = periodContaining(day, kind);
      return p.start <= day && day <= p.end;
    }),
    RUNS,
  );
  fc.assert(
    fc.property(periodArb, periodArb, (a, b) => !contains(a, b) || overlaps(a, b)),
    RUNS,
  );
  // Calendar periods nest: two that overlap always have one inside the other.
  fc.assert(
    fc.property(
      periodArb,
      periodArb,
      (a, b) => overlaps(a, b) === (contains(a, b) || contains(b, a)),
    ),
    RUNS,
  );
  t.pass();
});

t.test('periods in a range cover the range in order', async (t) => {
  fc.assert(
    fc.property(
      dayArb,
      dayArb,
      fc.constantFrom('year', 'quarter', 'month' as const),
      (x, y, kind) => {
        const [from, to] = x <= y ? [x, y] : [y, x];
        const list = periodsInRange(from, to, kind);
        const first = list[0]!;
        const last = list[list.length - 1]!;
        return (
          first.start <= from &&
          from <= first.end &&
          last.start <= to &&
          to <= last.end &&
          list.every((p, i) => i === 0 || p.start === addDays(list[i - 1]!.end, 1))
        );
      },
    ),
    { ...RUNS, numRuns: 100 },
  );
  t.pass();
});
