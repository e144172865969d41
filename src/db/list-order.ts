import { type SelectQueryBuilder, sql } from 'kysely';
import type { ListOrder } from '../http/schemas/pagination.js';
import { camelAlias } from './camel-columns.js';

/**
 * Orders and positions a list query (keyset pagination): by id, or — with `updatedSince` — by
 * (updated_at, id) from that instant, each through an index (migrations 0004, 0015). Selects
 * `cursorUpdatedAt`, the row's updated_at in UTC with its microseconds: the API
 * shows milliseconds, and a cursor cut to them would repeat rows.
 */
export function applyListOrder<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  table: string,
  order: ListOrder,
) {
  const id = sql.ref(`${table}.id`);
  const updatedAt = sql.ref(`${table}.updated_at`);
  const exact = sql<string>`to_char(${updatedAt} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US"+00"')`;
  // A raw alias: a query selecting camelCase columns stays without a snake_case one.
  let ordered = query.select(exact.as<'cursorUpdatedAt'>(camelAlias('cursorUpdatedAt')));
  if (order.by === 'id') {
    if (order.afterId !== undefined)
      ordered = ordered.where(sql<boolean>`${id} > ${order.afterId}`);
    return ordered.orderBy(id);
  }
  ordered = ordered.where(sql<boolean>`${updatedAt} >= ${order.since}::timestamptz`);
  if (order.after)
    ordered = ordered.where(
      sql<boolean>`(${updatedAt}, ${id}) > (${order.after.updatedAt}::timestamptz, ${order.after.id}::uuid)`,
    );
  return ordered.orderBy(updatedAt).orderBy(id);
}
