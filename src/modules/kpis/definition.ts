import type { FieldError } from '../../http/problem.js';
import type { Kpi, KpiDefinition } from './schemas.js';

/** What a built-in computed KPI may not change: the computation behind it depends on them. */
const FIXED_OF_COMPUTED = ['source', 'measure', 'cumulation', 'dimensions'] as const;

/** Rules of a definition beyond its shape, every problem at once. */
export function definitionErrors(input: KpiDefinition, builtIn: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (input.source === 'computed' && !builtIn) {
    errors.push({
      pointer: '/source',
      message:
        'must be reported: computed KPIs are the ones built into the service (see docs/kpis.md); ' +
        'a new KPI is reported by partners',
    });
  }
  if (input.measure === 'percentage') {
    for (const field of ['baseline', 'endTarget'] as const) {
      const value = input[field]?.value;
      if (value !== undefined && (value < 0 || value > 100)) {
        errors.push({ pointer: `/${field}/value`, message: 'must lie in 0–100 for a percentage' });
      }
    }
  }
  if (input.baseline && input.endTarget && input.endTarget.year < input.baseline.year) {
    errors.push({ pointer: '/endTarget/year', message: 'must not be before the baseline year' });
  }
  return errors;
}

/** The fixed fields of a built-in computed KPI that an update would change. */
export function fixedFieldChanges(current: Kpi, input: KpiDefinition): FieldError[] {
  if (!current.builtIn) return [];
  return FIXED_OF_COMPUTED.filter(
    (field) => JSON.stringify(current[field]) !== JSON.stringify(input[field]),
  ).map((field) => ({
    pointer: `/${field}`,
    message: `cannot change on the built-in computed KPI ${current.code} (it is ${JSON.stringify(current[field])})`,
  }));
}
