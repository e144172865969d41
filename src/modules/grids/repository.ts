import { type Selectable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { GridStatus, GridsTable } from '../../db/tables/grids.js';
import { uuidv7 } from '../../db/uuid.js';
import { HttpProblem, notFound } from '../../http/problem.js';
import type { GridDefinition } from './definition.js';
import type { Grid } from './schemas.js';

export type GridRow = Selectable<GridsTable>;

export function toGrid(row: GridRow): Grid {
  const { code: _code, ...definition } = row.definition;
  return {
    id: row.id,
    code: row.code,
    version: row.version,
    status: row.status,
    ...definition,
    revision: row.revision,
    publishedAt: row.publishedAt,
    retiredAt: row.retiredAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function gridById(db: Db, id: string) {
  return db.selectFrom('grids').selectAll().where('id', '=', id);
}

function foundGrid(row: GridRow | undefined, id: string): GridRow {
  if (!row) throw notFound(`There is no grid ${id}.`);
  return row;
}

/** The grid, or 404: grids are public to every key, so there is no tenancy to check. */
export async function loadGrid(db: Db, id: string): Promise<GridRow> {
  return foundGrid(await gridById(db, id).executeTakeFirst(), id);
}

/** The grid, or 404, locked until the transaction ends (commands that change it). */
export async function lockGrid(trx: Transaction<Database>, id: string): Promise<GridRow> {
  return foundGrid(await gridById(trx, id).forUpdate().executeTakeFirst(), id);
}

/** 409 for a grid whose status forbids the operation. */
export function gridStatusConflict(grid: GridRow, detail: string) {
  return new HttpProblem({
    type: 'grid-status',
    detail: `Grid ${grid.code} v${grid.version} is ${grid.status}: ${detail}`,
    extensions: { gridStatus: grid.status },
  });
}

export async function listGrids(
  db: Db,
  filters: { code?: string | undefined; status?: GridStatus | undefined; limit: number },
  after: { code: string; version: number } | undefined,
) {
  let query = db.selectFrom('grids').selectAll();
  if (filters.code !== undefined) query = query.where('code', '=', filters.code);
  if (filters.status !== undefined) query = query.where('status', '=', filters.status);
  if (after !== undefined) {
    query = query.where(sql<boolean>`(code, version) > (${after.code}, ${after.version})`);
  }
  return query
    .orderBy('code')
    .orderBy('version')
    .limit(filters.limit + 1)
    .execute();
}

/** The highest version of a code and the id of its draft, if any; undefined for a new code. */
export async function codeState(db: Db, code: string) {
  const rows = await db
    .selectFrom('grids')
    .select(['id', 'version', 'status'])
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .execute();
  if (rows.length === 0) return undefined;
  return {
    highestVersion: rows[0]!.version,
    draftId: rows.find((r) => r.status === 'draft')?.id,
  };
}

export async function insertDraft(db: Db, definition: GridDefinition, version: number) {
  return db
    .insertInto('grids')
    .values({
      id: uuidv7(),
      code: definition.code,
      version,
      status: 'draft',
      definition: JSON.stringify(definition),
      publishedAt: null,
      retiredAt: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

const bump = {
  revision: sql<number>`revision + 1`,
  updatedAt: sql<string>`now()`,
};

export async function updateDraft(db: Db, id: string, definition: GridDefinition) {
  return db
    .updateTable('grids')
    .set({ definition: JSON.stringify(definition), ...bump })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Moves a grid from one status to the next; undefined when it is no longer in `from`. */
export async function changeStatus(db: Db, id: string, from: GridStatus, to: GridStatus) {
  return db
    .updateTable('grids')
    .set({
      status: to,
      ...(to === 'published' ? { publishedAt: sql<string>`now()` } : {}),
      ...(to === 'retired' ? { retiredAt: sql<string>`now()` } : {}),
      ...bump,
    })
    .where('id', '=', id)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst();
}
