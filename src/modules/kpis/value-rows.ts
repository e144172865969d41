import type { Disaggregation } from '../../db/tables/kpi-targets.js';
import type { Principal } from '../../http/plugins/auth.js';
import type { FieldError } from '../../http/problem.js';
import { blockingLock, lockedMessage, type PeriodLock } from '../periods/locks.js';
import { InvalidPeriodError, type Period, parsePeriod } from '../periods/period.js';
import { disaggregationErrors, disaggregationKey } from './dimensions.js';
import type { Kpi, ValueInput } from './schemas.js';

/** A reported value that passed every check, ready to be stored. */
export interface ValueRow {
  kpiCode: string;
  period: Period;
  partnerCode: string;
  disaggregation: Disaggregation;
  value: number;
  numerator: number | null;
  denominator: number | null;
  comment: string | null;
  evidenceUrl: string | null;
}

export interface RowContext {
  kpis: ReadonlyMap<string, Kpi>;
  partners: ReadonlySet<string>;
  locks: readonly PeriodLock[];
  principal: Pick<Principal, 'role' | 'partnerCode'>;
}

/** The identity of a reported value: (kpi, period, partner, disaggregation). */
export function valueKey(
  row: Pick<ValueRow, 'kpiCode' | 'partnerCode' | 'disaggregation'> & { period: string },
) {
  return [row.kpiCode, row.period, row.partnerCode, disaggregationKey(row.disaggregation)].join(
    '|',
  );
}

/**
 * Checks one row of an import against the KPI, the caller and the locks; every problem of the
 * row at once, each pointing into the request body.
 */
export function checkValueRow(
  input: ValueInput,
  at: string,
  context: RowContext,
): { row?: ValueRow; errors: FieldError[]; conflict?: boolean } {
  const errors: FieldError[] = [];
  const kpi = context.kpis.get(input.kpi);
  if (!kpi) errors.push({ pointer: `${at}/kpi`, message: `names no KPI (${input.kpi})` });
  else if (kpi.source !== 'reported') {
    errors.push({
      pointer: `${at}/kpi`,
      message: `${kpi.code} is a computed KPI: the service computes it from the records, it is not reported`,
    });
  }
  const period = checkPeriod(input.period, `${at}/period`, errors);
  const partnerCode = checkPartner(input.partnerCode, `${at}/partnerCode`, context, errors);
  const disaggregation = input.disaggregation ?? {};
  if (kpi) {
    errors.push(
      ...disaggregationErrors(disaggregation, `${at}/disaggregation`, {
        kpiCode: kpi.code,
        allowed: kpi.dimensions,
        partners: context.partners,
        excluded: new Map([['partner', 'is given by partnerCode, not in the disaggregation']]),
      }),
    );
  }
  const amount = kpi ? checkAmount(input, kpi, at, errors) : undefined;
  if (errors.length > 0 || !kpi || !period || !partnerCode || !amount) return { errors };
  const lock = blockingLock(context.locks, period, partnerCode);
  if (lock)
    return {
      errors: [{ pointer: `${at}/period`, message: lockedMessage(lock, period) }],
      conflict: true,
    };
  return {
    errors,
    row: {
      kpiCode: kpi.code,
      period,
      partnerCode,
      disaggregation,
      ...amount,
      comment: input.comment ?? null,
      evidenceUrl: input.evidenceUrl ?? null,
    },
  };
}

function checkPeriod(text: string, pointer: string, errors: FieldError[]): Period | undefined {
  try {
    return parsePeriod(text);
  } catch (error) {
    if (!(error instanceof InvalidPeriodError)) throw error;
    errors.push({ pointer, message: error.message });
    return undefined;
  }
}

/** A partner key reports for its own partner (implied); an admin key must name one. */
function checkPartner(
  given: string | undefined,
  pointer: string,
  context: RowContext,
  errors: FieldError[],
): string | undefined {
  const own = context.principal.role === 'partner' ? context.principal.partnerCode : null;
  if (own) {
    if (given === undefined || given === own) return own;
    errors.push({ pointer, message: `not your partner: a ${own} key reports for ${own} only` });
    return undefined;
  }
  if (given === undefined) {
    errors.push({ pointer, message: 'is required with an admin key' });
  } else if (!context.partners.has(given)) {
    errors.push({ pointer, message: `names no partner (${given})` });
  } else {
    return given;
  }
  return undefined;
}

/**
 * `value`, or for percentages `numerator` + `denominator` (exactly one form): a fraction is
 * kept with its parts, so that totals across partners are Σ numerators / Σ denominators.
 */
function checkAmount(input: ValueInput, kpi: Kpi, at: string, errors: FieldError[]) {
  const { value, numerator, denominator } = input;
  const hasFraction = numerator !== undefined || denominator !== undefined;
  const before = errors.length;
  if (value !== undefined && hasFraction) {
    errors.push({ pointer: at, message: 'give either value or numerator + denominator, not both' });
  } else if (value === undefined && !hasFraction) {
    errors.push({ pointer: `${at}/value`, message: 'is required (or numerator + denominator)' });
  } else if (hasFraction && kpi.measure !== 'percentage') {
    errors.push({
      pointer: `${at}/numerator`,
      message: `numerator + denominator are for percentages; ${kpi.code} takes a value`,
    });
  } else if (hasFraction) {
    checkFraction(numerator, denominator, at, errors);
  } else if (value !== undefined && kpi.measure !== 'qualitative' && value < 0) {
    errors.push({ pointer: `${at}/value`, message: 'must not be negative' });
  } else if (value !== undefined && kpi.measure === 'percentage' && value > 100) {
    errors.push({ pointer: `${at}/value`, message: 'must lie in 0–100 for a percentage' });
  }
  if (errors.length > before) return undefined;
  if (value !== undefined) return { value, numerator: null, denominator: null };
  const n = numerator as number;
  const d = denominator as number;
  return { value: (n / d) * 100, numerator: n, denominator: d };
}

function checkFraction(
  numerator: number | undefined,
  denominator: number | undefined,
  at: string,
  errors: FieldError[],
) {
  if (numerator === undefined) {
    errors.push({ pointer: `${at}/numerator`, message: 'is required with denominator' });
  } else if (numerator < 0) {
    errors.push({ pointer: `${at}/numerator`, message: 'must not be negative' });
  }
  if (denominator === undefined) {
    errors.push({ pointer: `${at}/denominator`, message: 'is required with numerator' });
  } else if (denominator <= 0) {
    errors.push({ pointer: `${at}/denominator`, message: 'must be greater than 0' });
  } else if (numerator !== undefined && numerator > denominator) {
    errors.push({ pointer: `${at}/numerator`, message: 'must not exceed the denominator' });
  }
}
