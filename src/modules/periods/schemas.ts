import { Type } from 'typebox';
import { badRequest } from '../../http/problem.js';
import { responseComponent } from '../../http/schemas/components.js';
import { InvalidPeriodError, PERIOD_PATTERN, type Period, parsePeriod } from './period.js';

export const PeriodParam = Type.String({
  pattern: PERIOD_PATTERN,
  description: '`YYYY`, `YYYYQn` or `YYYY-MM`',
  examples: ['2025', '2025Q1', '2025-03'],
});

export const PeriodLockSchema = responseComponent(
  'PeriodLock',
  Type.Object(
    {
      id: Type.String({ format: 'uuid' }),
      period: Type.String(),
      start: Type.String({ format: 'date', description: 'First day of the period' }),
      end: Type.String({ format: 'date', description: 'Last day of the period' }),
      partnerCode: Type.Union([Type.String(), Type.Null()], {
        description: 'The partner the lock binds; null: every partner',
      }),
      createdBy: Type.Union([Type.String(), Type.Null()], {
        description: 'The API key that locked',
      }),
      createdAt: Type.String({ format: 'date-time' }),
      frozenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
        description:
          'A lock for all partners: when the KPI figures of its period (and the quarters and months inside) were frozen; reports of those periods read them. Null for a partner lock',
      }),
    },
    { title: 'A reporting period closed to writes, for one partner or all' },
  ),
);

/** A period from a query or path parameter; a 400 naming the parameter when it is not one. */
export function periodParameter(text: string, parameter: string): Period {
  try {
    return parsePeriod(text);
  } catch (error) {
    if (!(error instanceof InvalidPeriodError)) throw error;
    throw badRequest(`The ${parameter} is not a period.`, [{ parameter, message: error.message }]);
  }
}
