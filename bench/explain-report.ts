// Prints EXPLAIN (ANALYZE, BUFFERS) of every computed KPI's statement of one report, as the
// service builds them (computed.ts), on the benchmark database: where a report's time goes.
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/jahiz_bench \
//     npx tsx bench/explain-report.ts --period 2025 --by partner [--kpi READINESS_UP] [--plans]
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Dimension } from '../src/db/tables/kpis.js';
import { COMPUTATIONS, computedStatement } from '../src/modules/reports/computed.js';
import { parsePeriods } from '../src/modules/reports/request.js';

const { values: args } = parseArgs({
  options: {
    period: { type: 'string', default: '2025' },
    by: { type: 'string', default: 'partner' },
    kpi: { type: 'string' },
    plans: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    'programme-start': { type: 'string', default: '2023-01-01' },
  },
});

const db = new Kysely<unknown>({
  dialect: new PostgresDialect({
    pool: new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: 1 }),
  }),
});
const periods = parsePeriods(args.period as string);
const by = (args.by as string).split(',').filter(Boolean) as Dimension[];
const kpis = await sql<{ code: string; dimensions: Dimension[] }>`
  select code, dimensions from kpis where source = 'computed' order by code`.execute(db);
for (const kpi of kpis.rows) {
  if (!(kpi.code in COMPUTATIONS) || (args.kpi && args.kpi !== kpi.code)) continue;
  const breakdown = by.filter((d) => kpi.dimensions.includes(d));
  const sets = breakdown.length > 0 ? [[], breakdown] : [[]];
  const statement = computedStatement(kpi.code, {
    periods,
    sets,
    partner: null,
    programmeStart: args['programme-start'] as string,
  });
  const compiled = statement.compile(db);
  // Wall time of the statement itself (EXPLAIN ANALYZE's per-node timing inflates it): median.
  const times: number[] = [];
  let rows = 0;
  for (let run = 0; run < Number(args.runs); run++) {
    const started = performance.now();
    rows = (await db.executeQuery(compiled)).rows.length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const plan = await db.executeQuery<{ 'QUERY PLAN': string }>({
    ...compiled,
    sql: `explain (analyze, buffers${args.plans ? '' : ', timing off'}) ${compiled.sql}`,
  });
  const lines = plan.rows.map((r) => r['QUERY PLAN']);
  const buffers = lines.find((l) => l.trim().startsWith('Buffers'))?.trim();
  console.log(
    `${kpi.code.padEnd(20)} ${median.toFixed(1).padStart(7)} ms  ${rows} rows  ${buffers}`,
  );
  if (args.plans) console.log(`${lines.join('\n')}\n`);
}
await db.destroy();
