import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Disaggregation } from '../../db/tables/kpi-targets.js';
import { uuidv7 } from '../../db/uuid.js';
import type { FieldError } from '../../http/problem.js';
import { InvalidPeriodError, type Period, parsePeriod } from '../periods/period.js';
import { disaggregationErrors, disaggregationKey } from './dimensions.js';
import type { Kpi, TargetInput } from './schemas.js';

export interface Target {
  period: string;
  start: string;
  end: string;
  disaggregation: Disaggregation;
  value: number;
}

/**
 * Checks a whole target set: periods, dimensions the KPI allows and their values, percentages
 * within 0–100, and one target per (period, disaggregation). Every problem at once.
 */
export function validateTargets(
  inputs: readonly TargetInput[],
  kpi: Kpi,
  partners: ReadonlySet<string>,
): { targets: Target[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const targets: Target[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    const disaggregation = input.disaggregation ?? {};
    const rowErrors = disaggregationErrors(disaggregation, `/${index}/disaggregation`, {
      kpiCode: kpi.code,
      allowed: kpi.dimensions,
      partners,
    });
    let period: Period | undefined;
    try {
      period = parsePeriod(input.period);
    } catch (error) {
      if (!(error instanceof InvalidPeriodError)) throw error;
      rowErrors.push({ pointer: `/${index}/period`, message: error.message });
    }
    if (kpi.measure === 'percentage' && (input.value < 0 || input.value > 100)) {
      rowErrors.push({ pointer: `/${index}/value`, message: 'must lie in 0–100 for a percentage' });
    }
    if (period && rowErrors.length === 0) {
      const key = `${period.code}|${disaggregationKey(disaggregation)}`;
      const first = seen.get(key);
      if (first !== undefined) {
        rowErrors.push({
          pointer: `/${index}`,
          message: `repeats the period and disaggregation of /${first}`,
        });
      }
      seen.set(key, first ?? index);
      targets.push({
        period: period.code,
        start: period.start,
        end: period.end,
        disaggregation,
        value: input.value,
      });
    }
    errors.push(...rowErrors);
  });
  return { targets, errors };
}

/**
 * A KPI's targets: by period start, wider periods first, the total before its breakdowns. With `partner`, only the
 * targets a partner may see: totals and breakdowns without a partner, and its own.
 */
export async function listTargets(db: Db, kpiCode: string, partner?: string | null) {
  let query = db
    .selectFrom('kpiTargets')
    .select(['period', 'periodStart as start', 'periodEnd as end', 'disaggregation', 'value'])
    .where('kpiCode', '=', kpiCode)
    .orderBy('periodStart')
    .orderBy('periodEnd', 'desc')
    .orderBy(sql`disaggregation <> '{}'::jsonb`)
    .orderBy(sql`disaggregation::text`);
  if (partner) {
    query = query.where(sql<boolean>`coalesce(disaggregation->>'partner' = ${partner}, true)`);
  }
  // A target stored out of bounds before they were checked is no target (migration 0010).
  return (await query.execute()).filter((t) => Number.isFinite(t.value));
}

/** Replaces the whole target set and bumps its version; returns the new version. */
export async function replaceTargets(db: Db, kpiCode: string, targets: readonly Target[]) {
  await db.deleteFrom('kpiTargets').where('kpiCode', '=', kpiCode).execute();
  if (targets.length > 0) {
    await db
      .insertInto('kpiTargets')
      .values(
        targets.map((t) => ({
          id: uuidv7(),
          kpiCode,
          period: t.period,
          periodStart: t.start,
          periodEnd: t.end,
          disaggregation: JSON.stringify(t.disaggregation),
          value: t.value,
        })),
      )
      .execute();
  }
  const row = await db
    .updateTable('kpis')
    .set({ targetsVersion: sql`targets_version + 1` })
    .where('code', '=', kpiCode)
    .returning('targetsVersion')
    .executeTakeFirstOrThrow();
  return row.targetsVersion;
}
