// CPU µs that Kysely spends per simple read outside the database: building and compiling the
// query of (c) and (b1) as src/modules/members/repository.ts does, against reusing a compiled
// query; and the CamelCase plugin's result transform against none (bench/ablation.md).
//
//   BENCH_DATABASE_URL=postgres://… npx tsx bench/ablation-kysely.ts
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { findMember, listMembers, MEMBER_COLUMNS } from '../src/modules/members/repository.js';
import { cpuMicrosPerCall, median } from './harness.js';

const N = 20_000;
const ROUNDS = 7;

async function main() {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL is required');
  const database = await openDatabase(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }));
  const { db } = database;
  const id = randomUUID();
  const filters = { partner: 'FENIP', region: 'MA-09', limit: 20 };

  // The statements the repository builds, compiled each time as execute() does.
  const buildC = () => db.selectFrom('members').selectAll().where('id', '=', id).compile();
  // The same two statements as the repository now builds them: every column under its
  // property's name (issue 17, change 5), so the plugin has no row to copy.
  const buildCamelC = () =>
    db.selectFrom('members').select(MEMBER_COLUMNS).where('id', '=', id).compile();
  const buildCamelB1 = () =>
    db
      .selectFrom('members')
      .select(MEMBER_COLUMNS)
      .where('partnerCode', '=', filters.partner)
      .where('region', '=', filters.region)
      .orderBy('id')
      .limit(filters.limit + 1)
      .compile();
  const buildB1 = () =>
    db
      .selectFrom('members')
      .selectAll()
      .where('partnerCode', '=', filters.partner)
      .where('region', '=', filters.region)
      .orderBy('id')
      .limit(filters.limit + 1)
      .compile();

  // One real row set of each, to time the result transform (the plugin's transformResult).
  const rowsC = await findMember(
    db,
    (await database.pool.query('select id from members limit 1')).rows[0].id,
    null,
  );
  const rowsB1 = await listMembers(db, null, filters, { by: 'id' });
  const raw = await database.pool.query(
    `select * from members where partner_code = 'FENIP' and region = 'MA-09' order by id limit 21`,
  );
  const plugin = (
    db as unknown as {
      getExecutor(): { plugins: { transformResult(a: unknown): Promise<unknown> }[] };
    }
  ).getExecutor().plugins[0];
  if (!plugin || !rowsC || rowsB1.length === 0) throw new Error('no data');

  const figures: Record<string, number[]> = {
    'c: build + compile (select by id)': [],
    'b1: build + compile (filtered page)': [],
    'c: build + compile, camelCase aliases': [],
    'b1: build + compile, camelCase aliases': [],
  };
  for (let round = 0; round < ROUNDS; round += 1) {
    figures['c: build + compile, camelCase aliases']?.push(cpuMicrosPerCall(buildCamelC, N));
    figures['b1: build + compile, camelCase aliases']?.push(cpuMicrosPerCall(buildCamelB1, N));
    figures['c: build + compile (select by id)']?.push(cpuMicrosPerCall(buildC, N));
    figures['b1: build + compile (filtered page)']?.push(cpuMicrosPerCall(buildB1, N));
  }
  // transformResult is async: time it in an awaited loop, with a bare awaited loop subtracted.
  const asyncMicros = async (work: () => Promise<unknown>) => {
    const before = process.cpuUsage();
    for (let i = 0; i < N; i += 1) await work();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / N;
  };
  /** What the plugin's result transform adds to handing the rows on, per round. */
  const transformCost = async (rows: unknown[]) => {
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const withPlugin = await asyncMicros(() =>
        plugin.transformResult({ result: { rows }, queryId: { queryId: 'x' } }),
      );
      rounds.push(withPlugin - (await asyncMicros(async () => rows)));
    }
    return rounds;
  };
  figures['b1: CamelCase transform of 21 rows'] = await transformCost(raw.rows);
  const compiled = buildCamelB1();
  const aliased = await database.pool.query(compiled.sql, [...compiled.parameters]);
  figures['b1: CamelCase transform of 21 rows selected under camelCase aliases'] =
    await transformCost(aliased.rows);
  for (const [name, values] of Object.entries(figures)) {
    console.log(`${name}: ${median(values).toFixed(1)} µs (median of ${ROUNDS} × ${N})`);
  }
  await database.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
