import stringify from 'safe-stable-stringify';
import type { Disaggregation } from '../../db/tables/kpi-targets.js';
import type { Dimension } from '../../db/tables/kpis.js';
import type { FieldError } from '../../http/problem.js';
import { MEMBER_TYPES } from '../grids/definition.js';
import { isRegion } from '../reference/subdivisions.js';

/** The disaggregations a KPI may allow (docs/kpis.md → Computed KPIs). */
export const DIMENSIONS: readonly Dimension[] = [
  'partner',
  'region',
  'memberType',
  'womenLed',
  'sex',
  'mode',
];

export const ACTIVITY_MODES = ['physical', 'digital', 'hybrid'] as const;
const SEXES = ['F', 'M'] as const;

interface ValueRule {
  accepts(value: string | boolean, partners: ReadonlySet<string>): boolean;
  expected: string;
}

const oneOf = (values: readonly string[]): ValueRule => ({
  accepts: (v) => typeof v === 'string' && values.includes(v),
  expected: `one of ${values.join(', ')}`,
});

const VALUE_RULES: Record<Dimension, ValueRule> = {
  partner: {
    accepts: (v, partners) => typeof v === 'string' && partners.has(v),
    expected: 'the code of an existing partner',
  },
  region: {
    accepts: (v) => typeof v === 'string' && isRegion(v),
    expected: 'a region code MA-01…MA-12',
  },
  memberType: oneOf(MEMBER_TYPES),
  womenLed: { accepts: (v) => typeof v === 'boolean', expected: 'true or false' },
  sex: oneOf(SEXES),
  mode: oneOf(ACTIVITY_MODES),
};

export interface DisaggregationContext {
  kpiCode: string;
  allowed: readonly Dimension[];
  /** Codes of the existing partners, for the `partner` dimension. */
  partners: ReadonlySet<string>;
  /** Dimensions that are given elsewhere than in the disaggregation (a value's partnerCode). */
  excluded?: ReadonlyMap<Dimension, string>;
}

/**
 * Every problem of a disaggregation at once, each pointing at its dimension: a dimension the
 * KPI does not allow, or a value the dimension does not have.
 */
export function disaggregationErrors(
  disaggregation: Disaggregation,
  pointer: string,
  context: DisaggregationContext,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(disaggregation)) {
    const at = `${pointer}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    const dimension = name as Dimension;
    const elsewhere = context.excluded?.get(dimension);
    if (elsewhere) {
      errors.push({ pointer: at, message: elsewhere });
    } else if (!context.allowed.includes(dimension)) {
      const allowed = context.allowed.length > 0 ? context.allowed.join(', ') : 'none';
      errors.push({
        pointer: at,
        message: `is not a dimension of KPI ${context.kpiCode} (allowed: ${allowed})`,
      });
    } else if (!VALUE_RULES[dimension].accepts(value, context.partners)) {
      errors.push({ pointer: at, message: `must be ${VALUE_RULES[dimension].expected}` });
    }
  }
  return errors;
}

/** A text that is equal for equal disaggregations whatever their key order. */
export function disaggregationKey(disaggregation: Disaggregation): string {
  return stringify(disaggregation) ?? '{}';
}
