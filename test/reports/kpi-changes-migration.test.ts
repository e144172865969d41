import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { sql } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import t from 'tap';
import { migrateToLatest } from '../../src/db/migrate.js';
import { startTestApp } from '../helpers/app.js';
import { loadScenario, scenarioArb } from './generated.js';

const migrationFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * A database that already holds members, assessments and activities when migrations 0021 and
 * 0022 arrive gets the figures it had before them: the migrations fill kpi_changes and
 * readiness_improvements from the records. Taken down and up again on a generated registry,
 * every figure of a 36-month report stays the same.
 */
t.test('0021 and 0022 fill the KPI changes of an existing registry', async (t) => {
  const { app, api } = await startTestApp(t);
  const [scenario] = fc.sample(scenarioArb, { numRuns: 1, seed: 42 });
  await loadScenario(app.db, scenario as NonNullable<typeof scenario>);
  const report = async () =>
    (
      await api({
        method: 'GET',
        url: '/v1/reports/kpis?period=2023-01..2025-12&by=partner,region,sex,mode',
      })
    ).json();
  const before = await report();
  t.ok(
    before.rows.some((r: { actual: number }) => r.actual > 0),
    `the registry counts (${before.rows.length} rows)`,
  );

  const migrator = new Migrator({
    db: app.db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
    allowUnorderedMigrations: true,
  });
  const names = (await migrator.getMigrations()).map((m) => m.name);
  const down = await migrator.migrateTo(names[names.indexOf('0021_kpi_changes') - 1] as string);
  t.same(down.error, undefined, 'down to 0020');
  const { rows } = await sql<{ name: string }>`select table_name as name
    from information_schema.tables where table_name in ('kpi_changes', 'readiness_improvements')`.execute(
    app.db,
  );
  t.same(rows, [], 'both tables are gone');

  await migrateToLatest(app.db);
  t.same((await report()).rows, before.rows, 'up again: the same figures');
});
