import { type TSchema, Type } from 'typebox';
import { badRequest } from '../problem.js';
import { ref, responseComponent } from './components.js';
import { Nullable } from './nullable.js';

/** `limit` and `cursor` of every collection (docs/integrators.md → Lists and pagination). */
export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size, 1–100' }),
  cursor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 512, description: 'Opaque cursor from `nextCursor`' }),
  ),
};

/**
 * A page of a named item as a named component (`MemberPage` for `Member`), so that generated
 * clients get one type per list. Call it at module level, as component() must be: the app
 * registers every component before its routes.
 */
export function PageSchema<T extends TSchema>(item: T) {
  const target = (item as { $ref?: unknown }).$ref;
  if (typeof target !== 'string') throw new Error('PageSchema() needs a ref() to a named item');
  const page = Type.Object({
    data: Type.Array(item),
    nextCursor: Nullable(
      Type.String({ description: 'Cursor of the next page; null on the last page' }),
    ),
  });
  return ref(responseComponent(`${target.replace(/#$/, '')}Page`, page));
}

export type CursorValue = string | number;

/** Cursors are the sort key of the last row, as base64url JSON: opaque to callers. */
export function encodeCursor(key: CursorValue[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by encodeCursor for a key of `arity` values; anything else is a 400
 * naming the parameter, never a database error.
 */
export function decodeCursor(cursor: string | undefined, arity: number): CursorValue[] | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const valid =
    Array.isArray(key) &&
    key.length === arity &&
    key.every((v) => (typeof v === 'string' && v.length <= 256) || Number.isFinite(v));
  if (!valid) {
    throw badRequest('The cursor is not one this service issued.', [
      { parameter: 'cursor', message: 'is malformed' },
    ]);
  }
  return key as CursorValue[];
}

/** The cursor of a list ordered by one text or uuid column: the last row's value, or undefined. */
export function decodeSingleKeyCursor(cursor: string | undefined): string | undefined {
  const key = decodeCursor(cursor, 1)?.[0];
  return key === undefined ? undefined : String(key);
}

/**
 * Rows fetched with `limit + 1` become one page: the extra row only says another page exists.
 */
export function toPage<R>(rows: R[], limit: number, keyOf: (row: R) => CursorValue[]) {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return {
    data,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

/** `updatedSince` of the lists a partner system syncs from (members, assessments, activities). */
export const UpdatedSinceQuery = {
  updatedSince: Type.Optional(
    Type.String({
      format: 'date-time',
      description:
        'Only what changed at or after this ISO 8601 timestamp (with its offset, e.g. ' +
        '`2026-11-30T02:00:00Z`); the list is then ordered by (`updatedAt`, `id`)',
    }),
  ),
};

/** The order and position of a list page: by id, or by (updatedAt, id) with updatedSince. */
export type ListOrder =
  | { by: 'id'; afterId?: string }
  | { by: 'updatedAt'; since: string; after?: { updatedAt: string; id: string } };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A timestamp as the database writes it as text (the cursor keeps its microseconds). */
const DB_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00$/;

/** Reads the order of a list from its query: `updatedSince` and the cursor that goes with it. */
export function listOrder(query: { cursor?: string; updatedSince?: string }): ListOrder {
  if (query.updatedSince === undefined)
    return { by: 'id', afterId: decodeSingleKeyCursor(query.cursor) };
  const key = decodeCursor(query.cursor, 2);
  if (key === undefined) return { by: 'updatedAt', since: query.updatedSince };
  const [updatedAt, id] = key.map(String) as [string, string];
  if (!DB_TIMESTAMP.test(updatedAt) || !UUID.test(id))
    throw badRequest('The cursor is not one this service issued.', [
      { parameter: 'cursor', message: 'is malformed' },
    ]);
  return { by: 'updatedAt', since: query.updatedSince, after: { updatedAt, id } };
}

/** A page of a list read in `order`; rows carry their exact updatedAt for the cursor. */
export function toOrderedPage<R extends { id: string; cursorUpdatedAt: string }>(
  rows: R[],
  limit: number,
  order: ListOrder,
) {
  return toPage(rows, limit, (r) => (order.by === 'id' ? [r.id] : [r.cursorUpdatedAt, r.id]));
}
