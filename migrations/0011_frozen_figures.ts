import { type Kysely, sql } from 'kysely';

/**
 * Frozen figures (docs/kpis.md → Locked periods): when a period is locked for all partners,
 * every KPI's figures for it and the quarters and months inside it are stored here, for every
 * combination of the KPI's dimensions, in the lock's transaction. Deleting the lock (unlocking)
 * discards them. `dimensions` is the disaggregation's keys, sorted and comma-separated, by
 * which a report finds the rows of a grouping. `frozen_at` on the lock says when its figures
 * were frozen (null for a lock written before this migration: its periods stay live).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('period_locks').addColumn('frozen_at', 'timestamptz').execute();
  await db.schema
    .createTable('kpi_frozen_figures')
    .addColumn('lock_id', 'uuid', (c) =>
      c.notNull().references('period_locks.id').onDelete('cascade'),
    )
    .addColumn('kpi_code', 'text', (c) => c.notNull().references('kpis.code').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('dimensions', 'text', (c) => c.notNull())
    .addColumn('disaggregation', 'jsonb', (c) => c.notNull())
    .addColumn('actual', 'double precision', (c) =>
      c.check(sql`actual is null or actual between -1e300 and 1e300`),
    )
    .addPrimaryKeyConstraint('kpi_frozen_figures_pkey', [
      'lock_id',
      'kpi_code',
      'period',
      'disaggregation',
    ])
    .execute();
  // A report reads one lock's figures of some KPIs, periods and groupings.
  await sql`create index kpi_frozen_figures_read
    on kpi_frozen_figures (lock_id, period, dimensions, kpi_code)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kpi_frozen_figures').execute();
  await db.schema.alterTable('period_locks').dropColumn('frozen_at').execute();
}
