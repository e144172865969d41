import { Type } from 'typebox';

/**
 * The calendar dates the API accepts (docs/security.md → Dates): real days from 1900-01-01 to
 * 2099-12-31. Wider than any programme date (joining, assessments, activities, certificates,
 * periods), narrow enough that a typo such as 9999-12-31 or 0202-01-01 is refused rather than
 * stored and then stretched over every report.
 */
const EARLIEST_DATE = '1900-01-01';
const LATEST_DATE = '2099-12-31';

/** Whether the text is a real calendar day `YYYY-MM-DD` within the accepted range. */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real && text >= EARLIEST_DATE && text <= LATEST_DATE;
}

export const DATE_MESSAGE = `must be a calendar date YYYY-MM-DD from ${EARLIEST_DATE} to ${LATEST_DATE}`;

/** The one schema of a calendar date input; its `date` format is checked as isCalendarDate. */
export function CalendarDate(description = 'YYYY-MM-DD') {
  return Type.String({
    format: 'date',
    description: `${description} (from ${EARLIEST_DATE} to ${LATEST_DATE})`,
  });
}
