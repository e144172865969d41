import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { runWhileListening } from '../../http/plugins/periodic.js';

const COMPACTION_INTERVAL_MS = 60 * 1000;
/** Arbitrary constant naming the compaction among jahiz's advisory locks. */
export const COMPACTION_LOCK = 7_245_019_335;

const GROUP = ['kpi', 'month', 'partner_code', 'region', 'member_type', 'women_led', 'mode', 'sex'];
/** The rest of the key after (kpi, month), which the index finds; mode and sex may be null. */
const sameGroup = sql.join(
  GROUP.slice(2).map((c) => sql`c.${sql.ref(c)} is not distinct from f.${sql.ref(c)}`),
  sql` and `,
);
const group = sql.join(GROUP.map((c) => sql.ref(c)));

/**
 * Merges the rows of each key of `kpi_changes` that received changes since the last time into
 * one (none when they cancel out), so that reports read one row per month and group. Sums do
 * not change: a row appended meanwhile is not in this statement's snapshot and stays as it is.
 * Returns the number of rows merged away.
 */
export async function compactKpiChanges(db: Db): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // One instance at a time: two deleting the same rows in another order could deadlock.
    const { rows: lock } = await sql<{ taken: boolean }>`
      select pg_try_advisory_xact_lock(${COMPACTION_LOCK}) as taken`.execute(trx);
    if (!lock[0]?.taken) return 0;
    const result = await sql<{ merged: string }>`
      with fresh as (select distinct ${group} from kpi_changes where not compacted),
      gone as (
        delete from kpi_changes c using fresh f where c.kpi = f.kpi and c.month = f.month
          and ${sameGroup}
        returning c.*),
      merged as (
        insert into kpi_changes (${group}, n, facts, compacted)
        select ${group}, sum(n), sum(facts), true from gone group by ${group}
        having sum(n) <> 0 or sum(facts) <> 0
        returning 1)
      select ((select count(*) from gone) - (select count(*) from merged))::text as merged`.execute(
      trx,
    );
    return Number(result.rows[0]?.merged ?? 0);
  });
}

/**
 * Compacts the KPI changes every minute while the service listens (on the instances that run
 * background work). Between two runs, reports read the appended rows as well, at a small cost.
 */
export function registerKpiChangesCompaction(app: FastifyInstance) {
  if (!app.config.webhooks.worker) return;
  runWhileListening(app, 'compaction of KPI changes', COMPACTION_INTERVAL_MS, () =>
    compactKpiChanges(app.db),
  );
}
