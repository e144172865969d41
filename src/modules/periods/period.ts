/**
 * Reporting periods (docs/kpis.md → Periods): `YYYY`, `YYYYQn` and `YYYY-MM`, each a closed range of
 * calendar days `[start, end]` as 'YYYY-MM-DD' strings. Pure functions, no clock, no database.
 * ISO dates of four-digit years compare correctly as strings, which the SQL side relies on too.
 */

export type PeriodKind = 'year' | 'quarter' | 'month';

export interface Period {
  /** The canonical text, e.g. `2025`, `2025Q3`, `2025-07`. */
  code: string;
  kind: PeriodKind;
  year: number;
  /** Quarter 1–4 or month 1–12; 1 for a year. */
  index: number;
  /** First day, 'YYYY-MM-DD'. */
  start: string;
  /** Last day, 'YYYY-MM-DD'. */
  end: string;
}

export const YEAR_MIN = 1900;
export const YEAR_MAX = 2100;

/** The shape of a period, for request schemas (the year range is checked by parsePeriod). */
export const PERIOD_PATTERN = '^[0-9]{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$';

export class InvalidPeriodError extends Error {}

const SHAPE = /^(\d{4})(?:Q(\d+)|-(\d{2}))?$/;

/** Parses a period; throws InvalidPeriodError saying what is wrong. */
export function parsePeriod(text: string): Period {
  const match = SHAPE.exec(text);
  if (!match) {
    throw new InvalidPeriodError(`"${text}" is not a period: use YYYY, YYYYQn or YYYY-MM`);
  }
  const year = Number(match[1]);
  if (year < YEAR_MIN || year > YEAR_MAX) {
    throw new InvalidPeriodError(`"${text}": the year must lie in ${YEAR_MIN}–${YEAR_MAX}`);
  }
  if (match[2] !== undefined) {
    const quarter = Number(match[2]);
    if (quarter < 1 || quarter > 4 || match[2].length !== 1) {
      throw new InvalidPeriodError(`"${text}": the quarter must be Q1–Q4`);
    }
    return quarterOf(year, quarter);
  }
  if (match[3] !== undefined) {
    const month = Number(match[3]);
    if (month < 1 || month > 12) {
      throw new InvalidPeriodError(`"${text}": the month must be 01–12`);
    }
    return monthOf(year, month);
  }
  return yearOf(year);
}

/** The period, or undefined when the text is not one. */
export function tryParsePeriod(text: string): Period | undefined {
  try {
    return parsePeriod(text);
  } catch (error) {
    if (error instanceof InvalidPeriodError) return undefined;
    throw error;
  }
}

export function yearOf(year: number): Period {
  return {
    code: String(year),
    kind: 'year',
    year,
    index: 1,
    start: date(year, 1, 1),
    end: date(year, 12, 31),
  };
}

export function quarterOf(year: number, quarter: number): Period {
  const firstMonth = (quarter - 1) * 3 + 1;
  return {
    code: `${year}Q${quarter}`,
    kind: 'quarter',
    year,
    index: quarter,
    start: date(year, firstMonth, 1),
    end: date(year, firstMonth + 2, daysInMonth(year, firstMonth + 2)),
  };
}

export function monthOf(year: number, month: number): Period {
  return {
    code: `${year}-${pad(month)}`,
    kind: 'month',
    year,
    index: month,
    start: date(year, month, 1),
    end: date(year, month, daysInMonth(year, month)),
  };
}

/** True when every day of `inner` lies in `outer` (a period contains itself). */
export function contains(outer: Period, inner: Period): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** True when the two periods share at least one day. */
export function overlaps(a: Period, b: Period): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * The periods of one kind that overlap `[from, to]` (dates 'YYYY-MM-DD'), in order: e.g. the
 * quarters of a report range. Empty when `from > to`.
 */
export function periodsInRange(from: string, to: string, kind: PeriodKind): Period[] {
  if (from > to) return [];
  const result: Period[] = [];
  let current = periodContaining(from, kind);
  while (current.start <= to) {
    result.push(current);
    current = nextPeriod(current);
  }
  return result;
}

/** The periods of a finer (or equal) kind that make up `period`, in order. */
export function subPeriods(period: Period, kind: PeriodKind): Period[] {
  return periodsInRange(period.start, period.end, kind);
}

/** The period of a kind that contains the day 'YYYY-MM-DD'. */
export function periodContaining(day: string, kind: PeriodKind): Period {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  if (kind === 'year') return yearOf(year);
  if (kind === 'quarter') return quarterOf(year, Math.floor((month - 1) / 3) + 1);
  return monthOf(year, month);
}

/** The period of the same kind that follows. */
function nextPeriod(period: Period): Period {
  return periodContaining(addDays(period.end, 1), period.kind);
}

/** The day `days` after (or before, when negative) 'YYYY-MM-DD'. */
export function addDays(day: string, days: number): string {
  const time = Date.UTC(
    Number(day.slice(0, 4)),
    Number(day.slice(5, 7)) - 1,
    Number(day.slice(8, 10)),
  );
  return new Date(time + days * 86_400_000).toISOString().slice(0, 10);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function date(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
