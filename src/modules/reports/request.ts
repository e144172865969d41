import type { Dimension } from '../../db/tables/kpis.js';
import type { Principal } from '../../http/plugins/auth.js';
import { badRequest, forbidden } from '../../http/problem.js';
import { DIMENSIONS } from '../kpis/dimensions.js';
import { InvalidPeriodError, type Period, parsePeriod, periodsInRange } from '../periods/period.js';

/** At most this many periods in one report (ten years of months). */
const MAX_PERIODS = 120;

/** What a report covers, once the query is checked and the caller's scope applied. */
export interface ReportRequest {
  periods: Period[];
  /** KPI codes asked for; empty means every KPI. */
  kpiCodes: string[];
  by: Dimension[];
  /** Only this partner's figures; forced to its own for a partner key. */
  partner: string | null;
}

export interface ReportQuery {
  period: string;
  kpi?: string | undefined;
  by?: string | undefined;
  partner?: string | undefined;
}

const listOf = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/**
 * `2025`, `2025Q1`, `2025-03`, or a range of one kind `2025Q1..2025Q4` (both ends included):
 * the periods of the report, in order.
 */
export function parsePeriods(text: string): Period[] {
  const ends = text.split('..');
  try {
    if (ends.length === 1) return [parsePeriod(text)];
    if (ends.length !== 2) throw new InvalidPeriodError(`"${text}" is not a period or a range`);
    const [first, last] = ends.map((end) => parsePeriod(end)) as [Period, Period];
    if (first.kind !== last.kind)
      throw new InvalidPeriodError('both ends of a range must be periods of the same kind');
    if (first.start > last.start)
      throw new InvalidPeriodError('the first period of a range must not follow the last');
    const periods = periodsInRange(first.start, last.end, first.kind);
    if (periods.length > MAX_PERIODS)
      throw new InvalidPeriodError(`a range may cover at most ${MAX_PERIODS} periods`);
    return periods;
  } catch (error) {
    if (!(error instanceof InvalidPeriodError)) throw error;
    throw badRequest('The period is invalid.', [{ parameter: 'period', message: error.message }]);
  }
}

/** Checks the query against the known KPIs and partners and applies the caller's scope. */
export function reportRequest(
  query: ReportQuery,
  principal: Pick<Principal, 'role' | 'partnerCode'>,
  known: { kpis: ReadonlySet<string>; partners: ReadonlySet<string> },
): ReportRequest {
  const periods = parsePeriods(query.period);
  const errors = [];
  const kpiCodes = [...new Set(listOf(query.kpi))];
  const unknownKpis = kpiCodes.filter((code) => !known.kpis.has(code));
  if (unknownKpis.length > 0)
    errors.push({ parameter: 'kpi', message: `names no KPI: ${unknownKpis.join(', ')}` });
  const by = [...new Set(listOf(query.by))];
  const unknownDims = by.filter((d) => !DIMENSIONS.includes(d as Dimension));
  if (unknownDims.length > 0)
    errors.push({
      parameter: 'by',
      message: `${unknownDims.join(', ')}: not a dimension (${DIMENSIONS.join(', ')})`,
    });
  let partner = query.partner ?? null;
  if (principal.role === 'partner') {
    if (partner !== null && partner !== principal.partnerCode)
      throw forbidden(`A partner key reports on its own partner (${principal.partnerCode}) only.`);
    partner = principal.partnerCode;
  } else if (partner !== null && !known.partners.has(partner)) {
    errors.push({ parameter: 'partner', message: `names no partner (${partner})` });
  }
  if (errors.length > 0) throw badRequest('The report query is invalid.', errors);
  return { periods, kpiCodes, by: by as Dimension[], partner };
}
