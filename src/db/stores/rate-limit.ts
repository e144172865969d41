import { sql } from 'kysely';
import type { Db } from '../database.js';

/** The SQL of the shared rate-limit counters (src/http/plugins/rate-limit.ts holds the HTTP part). */

export interface CountedHit {
  current: number;
  ttl: number;
  /** The window's start and the time of the count, on the database's clock (ms). */
  started: number;
  now: number;
}

/**
 * Counts `hits` requests in the caller's fixed window, which opens at its first request and
 * lasts `windowMs` (on the database's clock, so that instances agree); a later request opens a
 * new one.
 */
export async function countHit(
  db: Db,
  key: string,
  windowMs: number,
  hits = 1,
): Promise<CountedHit> {
  const nowMs = sql<number>`(extract(epoch from statement_timestamp()) * 1000)::bigint`;
  const open = sql<boolean>`b.window_start_ms + ${windowMs}::bigint > excluded.window_start_ms`;
  const { rows } = await sql<{ hits: number; started: number; now: number }>`
    insert into rate_limit_buckets as b (key, window_start_ms, hits)
    values (${key}, ${nowMs}, ${hits})
    on conflict (key) do update set
      hits = case when ${open} then b.hits + excluded.hits else excluded.hits end,
      window_start_ms = case when ${open} then b.window_start_ms else excluded.window_start_ms end
    returning b.hits as hits, b.window_start_ms as started, ${nowMs} as now`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('rate-limit upsert returned no row');
  const started = Number(row.started);
  const now = Number(row.now);
  return { current: row.hits, ttl: Math.max(0, started + windowMs - now), started, now };
}

/** Deletes the counters of windows that have ended; returns how many. */
export async function purgeIdleBuckets(db: Db, windowMs: number): Promise<number> {
  const result = await sql`delete from rate_limit_buckets
      where window_start_ms < (extract(epoch from now()) * 1000)::bigint - ${windowMs}::bigint`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}
