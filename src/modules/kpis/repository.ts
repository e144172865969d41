import { type Selectable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { KpiSource, KpisTable, ResultLevel } from '../../db/tables/kpis.js';
import { finiteOrNull } from '../../http/schemas/numbers.js';
import type { Kpi, KpiDefinition } from './schemas.js';

/** The API's view of a stored definition. */
export function toKpi(row: Selectable<KpisTable>): Kpi {
  // A figure stored before the bounds existed is shown as absent rather than failing the read.
  const baselineValue = finiteOrNull(row.baselineValue);
  const endTargetValue = finiteOrNull(row.endTargetValue);
  return {
    code: row.code,
    name: row.name,
    description: row.description,
    resultLevel: row.resultLevel,
    measure: row.measure,
    unit: row.unit,
    ascending: row.ascending,
    source: row.source,
    cumulation: row.cumulation,
    dimensions: row.dimensions,
    baseline:
      row.baselineYear === null || baselineValue === null
        ? null
        : { year: row.baselineYear, value: baselineValue },
    endTarget:
      row.endTargetYear === null || endTargetValue === null
        ? null
        : { year: row.endTargetYear, value: endTargetValue },
    builtIn: row.builtIn,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toColumns(input: KpiDefinition) {
  return {
    name: JSON.stringify(input.name),
    description: input.description ? JSON.stringify(input.description) : null,
    resultLevel: input.resultLevel,
    measure: input.measure,
    unit: input.unit,
    ascending: input.ascending,
    source: input.source,
    cumulation: input.cumulation,
    dimensions: JSON.stringify(input.dimensions),
    baselineYear: input.baseline?.year ?? null,
    baselineValue: input.baseline?.value ?? null,
    endTargetYear: input.endTarget?.year ?? null,
    endTargetValue: input.endTarget?.value ?? null,
  };
}

export interface KpiFilter {
  source?: KpiSource | undefined;
  resultLevel?: ResultLevel | undefined;
}

export async function listKpis(db: Db, filter: KpiFilter, limit: number, afterCode?: string) {
  let query = db
    .selectFrom('kpis')
    .selectAll()
    .orderBy('code')
    .limit(limit + 1);
  if (filter.source) query = query.where('source', '=', filter.source);
  if (filter.resultLevel) query = query.where('resultLevel', '=', filter.resultLevel);
  if (afterCode !== undefined) query = query.where('code', '>', afterCode);
  return (await query.execute()).map(toKpi);
}

function kpiByCode(db: Db, code: string) {
  return db.selectFrom('kpis').selectAll().where('code', '=', code);
}

/** The definition with the version of its target set, as commands check them. */
function withTargetsVersion(row: Selectable<KpisTable> | undefined) {
  return row && { ...toKpi(row), targetsVersion: row.targetsVersion };
}

export async function findKpi(db: Db, code: string) {
  return withTargetsVersion(await kpiByCode(db, code).executeTakeFirst());
}

/** The definition, locked until the transaction ends (commands that change it or its targets). */
export async function lockKpi(trx: Transaction<Database>, code: string) {
  return withTargetsVersion(await kpiByCode(trx, code).forUpdate().executeTakeFirst());
}

/** The definitions of the given codes, by code (unknown codes are absent). */
export async function findKpis(db: Db, codes: readonly string[]): Promise<Map<string, Kpi>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('kpis').selectAll().where('code', 'in', codes).execute();
  return new Map(rows.map((row) => [row.code, toKpi(row)]));
}

/** Inserts a definition; undefined when the code is taken. */
export async function insertKpi(db: Db, code: string, input: KpiDefinition) {
  const row = await db
    .insertInto('kpis')
    .values({ code, ...toColumns(input) })
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && toKpi(row);
}

/** Replaces a definition if it is still at `version`; undefined when it is not. */
export async function updateKpi(db: Db, code: string, version: number, input: KpiDefinition) {
  const row = await db
    .updateTable('kpis')
    .set({ ...toColumns(input), version: sql`version + 1`, updatedAt: sql`now()` })
    .where('code', '=', code)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
  return row && toKpi(row);
}

/** True when a partner reported any value of the KPI (its measure then cannot change). */
export async function hasValues(db: Db, code: string) {
  const row = await db
    .selectFrom('kpiValues')
    .select('id')
    .where('kpiCode', '=', code)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function partnerCodes(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('partners').select('code').execute();
  return new Set(rows.map((r) => r.code));
}
