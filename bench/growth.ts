// `npm run bench -- --growth [--sizes 10000,100000,1000000]`: how the reads and reports grow with
// the data. For each size the database is dropped, seeded (3 submitted assessments per member,
// activities in proportion: bench/seed.ts at scale members / 100,000) and vacuumed, then the
// built service answers (b1) the filtered first page, (b2) its deepest page up to page 1001,
// (c) a member by id, (d) the 2025 report by partner and (g) the 48-month report by partner and
// region. Results go into bench/results.json (`growth`) after each size, so that a run cut short
// keeps what it measured, and into bench/growth.svg.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { migrateAndSeed, recreatePostgresDatabase } from './database.js';
import { growthSvg } from './growth-plot.js';
import {
  BENCH,
  load,
  loadAverage,
  log,
  machine,
  percentile,
  query,
  type Server,
  startServer,
  stopServer,
} from './harness.js';
import { FILTERED_LIST, HEAVY_REPORT, type Inputs, pickInputs, YEAR_REPORT } from './inputs.js';
import { type Results, writeResults } from './report.js';

export interface GrowthPoint {
  members: number;
  scenario: string;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
}

interface GrowthOptions {
  url: string;
  sizes: number[];
  service: string[];
  env: (adminKey: string) => Record<string, string>;
}

const SECONDS = 10;
const CONNECTIONS = 20;

/** One request after another on one connection: at least 3, then up to 20 within 20 s. */
async function sequential(server: Server, path: string, headers: Record<string, string>) {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + 20_000;
  while (latencies.length < 3 || (performance.now() < end && latencies.length < 20)) {
    const started = performance.now();
    const response = await fetch(`${server.baseUrl}${path}`, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) errors += 1;
    latencies.push(performance.now() - started);
  }
  latencies.sort((x, y) => x - y);
  const at = (q: number) => Math.round(percentile(latencies, q));
  return { p50Ms: at(0.5), p99Ms: at(0.99), requests: latencies.length, errors };
}

async function measureSize(o: GrowthOptions, members: number) {
  const seeded = performance.now();
  await recreatePostgresDatabase(o.url, log);
  const counts = await migrateAndSeed({ databaseUrl: o.url }, members / 100_000, log);
  const seedSeconds = Math.round((performance.now() - seeded) / 1000);
  const [{ size } = { size: '' }] = await query<{ size: string }>(
    o.url,
    'select pg_size_pretty(pg_database_size(current_database())) as size',
  );
  const inputs: Inputs = await pickInputs(o.url);
  const adminKey = `jz_bench_${randomBytes(16).toString('hex')}`;
  const headers = { authorization: `Bearer ${adminKey}` };
  const app = await startServer(`service (${members} members)`, o.service, {
    ...o.env(adminKey),
    // A report over a million members may outlast the shipped 15 s per statement: measured, not cut.
    DB_STATEMENT_TIMEOUT_MS: '300000',
    REQUEST_TIMEOUT_MS: '300000',
  });
  const points: GrowthPoint[] = [];
  try {
    const reads = (paths: string[]) => ({
      connections: CONNECTIONS,
      seconds: SECONDS,
      method: 'GET' as const,
      headers,
      paths,
    });
    const byId = reads(inputs.anyMembers.map((id) => `/v1/members/${id}`));
    await load(app, { ...byId, seconds: 3 });
    const loads: [string, ReturnType<typeof reads>][] = [
      ['b1', reads([FILTERED_LIST])],
      ['b2', reads([`${FILTERED_LIST}&cursor=${inputs.deepCursor}`])],
      ['c', byId],
    ];
    for (const [scenario, spec] of loads) {
      const m = await load(app, spec);
      points.push({
        members,
        scenario,
        p50Ms: m.p50Ms,
        p99Ms: m.p99Ms,
        requests: m.requests,
        errors: m.errors,
      });
    }
    for (const [scenario, path] of [
      ['d', YEAR_REPORT],
      ['g', HEAVY_REPORT],
    ] as const)
      points.push({ members, scenario, ...(await sequential(app, path, headers)) });
  } finally {
    await stopServer(app);
  }
  for (const p of points)
    log(
      `growth ${members}: ${p.scenario} p50 ${p.p50Ms} ms p99 ${p.p99Ms} ms (${p.requests} requests, ${p.errors} errors)`,
    );
  return {
    points,
    size: { members, seedSeconds, databaseSize: size, counts, deepPage: inputs.deepPage },
  };
}

/** Adds the growth figures to bench/results.json and RESULTS.md (the other figures kept). */
function saveGrowth(growth: GrowthPoint[], growthConditions: Results['growthConditions']) {
  const file = `${BENCH}results.json`;
  const results = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Results) : null;
  if (results) writeResults(null, { ...results, growth, growthConditions });
  else writeFileSync(file, `${JSON.stringify({ growth, growthConditions }, null, 2)}\n`);
  writeFileSync(`${BENCH}growth.svg`, growthSvg(growth));
}

export async function runGrowth(o: GrowthOptions) {
  const started = performance.now();
  const loadBefore = loadAverage();
  const growth: GrowthPoint[] = [];
  const sizes: unknown[] = [];
  for (const members of o.sizes) {
    const measured = await measureSize(o, members);
    growth.push(...measured.points);
    sizes.push(measured.size);
    saveGrowth(growth, {
      date: new Date().toISOString(),
      machine: machine(),
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAverage(),
      totalSeconds: Math.round((performance.now() - started) / 1000),
      seconds: SECONDS,
      connections: CONNECTIONS,
      sizes,
    });
  }
  log(
    `growth: done in ${Math.round((performance.now() - started) / 1000)} s → bench/results.json, bench/growth.svg`,
  );
}
