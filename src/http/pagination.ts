import { type TSchema, Type } from 'typebox';
import { Nullable } from './nullable.js';
import { badRequest } from './problem.js';

/** `limit` and `cursor` of every collection (api.md → Lists). */
export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size, 1–100' }),
  cursor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 512, description: 'Opaque cursor from `nextCursor`' }),
  ),
};

export function PageSchema<T extends TSchema>(item: T) {
  return Type.Object({
    data: Type.Array(item),
    nextCursor: Nullable(
      Type.String({ description: 'Cursor of the next page; null on the last page' }),
    ),
  });
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
