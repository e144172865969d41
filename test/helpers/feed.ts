import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';

/**
 * Waits (10 s at most) until the change feed serves every event written so far. The feed shows
 * an event once every older transaction on the PostgreSQL server has ended, in any database
 * (docs/events-and-webhooks.md): beside other test files' transactions, a write is not in the
 * feed the moment it commits.
 */
export async function feedCaughtUp(db: Db, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql<{ served: boolean }>`
      select coalesce(max(tx_id) < pg_snapshot_xmin(pg_current_snapshot()), true) as served
      from events`.execute(db);
    if (rows[0]?.served || Date.now() > deadline) return;
    await sleep(50);
  }
}
