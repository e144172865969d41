// `npm run bench -- [--scale 1] [--seconds 15] [--connections 20] [--embedded-scale 0.1]
//   [--reuse] [--no-build] [--cpu-prof] [--only a,b1,…] [--growth [--sizes 10000,100000,1000000]]`
// Seeds a programme-scale dataset in the PostgreSQL database BENCH_DATABASE_URL names (dropped
// and created again), then runs each scenario of the table below with autocannon (a process of
// its own) against the built service and against the floor (bench/floor.ts: the same SQL through
// plain pg), interleaved, and the embedded mode on PGlite. Writes bench/results.json and
// bench/RESULTS.md. `--growth` measures how the reads and reports grow with the data instead
// (bench/growth.ts). Loopback only. See README → Benchmarks.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { type Capture, captureSql, rawReport } from './capture.js';
import { migrateAndSeed, recreatePostgresDatabase } from './database.js';
import { runGrowth } from './growth.js';
import {
  BENCH,
  benchDatabaseUrl,
  idleRss,
  load,
  loadAverage,
  log,
  type Measured,
  machine,
  query,
  type Server,
  startServer,
  stopServer,
} from './harness.js';
import { FILTERED_LIST, HEAVY_REPORT, type Inputs, pickInputs, YEAR_REPORT } from './inputs.js';
import type { LoadSpec } from './load.js';
import { writeResults } from './report.js';
import { assessmentBodies } from './workload.js';

const ROOT = new URL('..', import.meta.url).pathname;

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '15' },
    connections: { type: 'string', default: '20' },
    'embedded-scale': { type: 'string', default: '0.1' },
    reuse: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    only: { type: 'string' },
    /** Another build of the service to measure (e.g. a copy of dist/ before a change). */
    service: { type: 'string', default: 'dist/src/server.js' },
    /** Where to write the results (default bench/results.json and bench/RESULTS.md). */
    out: { type: 'string' },
    growth: { type: 'boolean', default: false },
    /** Member counts of the growth run. */
    sizes: { type: 'string', default: '10000,100000,1000000' },
  },
});
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const only = args.only ? new Set(args.only.split(',')) : null;
const wanted = (key: string) => only === null || only.has(key);
const today = () => new Date().toISOString().slice(0, 10);

export interface ScenarioResult {
  name: string;
  key: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  floorRps: number | null;
  ratio: number | null;
  app: Measured;
  floor: Measured | null;
  connections: number;
  rowsPerSec?: number;
  floorRowsPerSec?: number;
  note?: string;
}

function scenario(
  key: string,
  name: string,
  app: Measured,
  floor: Measured | null,
  extra: Partial<ScenarioResult> = {},
): ScenarioResult {
  const result: ScenarioResult = {
    key,
    name,
    rps: Math.round(app.rps * 10) / 10,
    p50Ms: app.p50Ms,
    p99Ms: app.p99Ms,
    errors: app.errors,
    floorRps: floor ? Math.round(floor.rps * 10) / 10 : null,
    ratio: floor && floor.rps > 0 ? Math.round((app.rps / floor.rps) * 100) / 100 : null,
    app,
    floor,
    connections: extra.connections ?? connections,
    ...extra,
  };
  log(
    `${key} ${name}: app ${result.rps} req/s p50 ${app.p50Ms} p99 ${app.p99Ms} errors ${app.errors}` +
      (floor
        ? ` | floor ${result.floorRps} req/s p50 ${floor.p50Ms} errors ${floor.errors} | ratio ${result.ratio}`
        : '') +
      (app.firstError ? ` | first error: ${app.firstError}` : ''),
  );
  return result;
}

/** What a scenario runs against: both servers, the inputs and the captured report SQL. */
interface Context {
  url: string;
  app: Server;
  floor: Server;
  headers: Record<string, string>;
  inputs: Inputs;
  capture: Capture;
}

/** A GET load over `paths`, cycled. */
const get = (ctx: Context, paths: string[], c = connections): Omit<LoadSpec, 'url'> => ({
  connections: c,
  seconds,
  method: 'GET',
  headers: ctx.headers,
  paths,
});
const memberReads = (ctx: Context) =>
  get(
    ctx,
    ctx.inputs.anyMembers.map((id) => `/v1/members/${id}`),
  );

/** The same load on the service, then on the floor (its bulk rows with ICEs of their own). */
async function both(
  ctx: Context,
  key: string,
  name: string,
  spec: Omit<LoadSpec, 'url'>,
  extra: Partial<ScenarioResult> = {},
) {
  const a = await load(ctx.app, spec);
  const f = await load(ctx.floor, { ...spec, iceBase: (spec.iceBase ?? 0) + 500_000_000_000 });
  return scenario(key, name, a, f, extra);
}

/** What autovacuum would have done by now: visibility maps and statistics brought up to date. */
async function vacuumAnalyze(url: string) {
  const started = performance.now();
  await query(url, 'vacuum (analyze) members, assessments, readiness_spans');
  log(`vacuum analyze: ${Math.round(performance.now() - started)} ms`);
}

/** (d): once as the writes of (a) left the tables, then vacuumed, beside its raw SQL. */
async function yearReport(ctx: Context) {
  const report = get(ctx, [YEAR_REPORT], 1);
  // The submissions of (a) leave changed pages that index-only scans must visit until a
  // vacuum. This PostgreSQL runs with autovacuum off (a production server has it on, and
  // migration 0009 tunes it for these tables), so: once as left, then after a vacuum.
  const unvacuumed = await load(ctx.app, { ...report, seconds: Math.min(seconds, 8) });
  await vacuumAnalyze(ctx.url);
  const a = await load(ctx.app, report);
  const raw = await rawReport(ctx.url, ctx.capture.reportStatements, 1, seconds);
  log(`d raw SQL: ${raw.rps.toFixed(1)} reports/s p50 ${raw.p50Ms} p99 ${raw.p99Ms}`);
  const r = scenario('d', `GET ${YEAR_REPORT}`, a, null, { connections: 1 });
  return Object.assign(r, {
    floorRps: Math.round(raw.rps * 10) / 10,
    ratio: Math.round((a.rps / raw.rps) * 100) / 100,
    note: `raw SQL (${raw.statements} statements replayed as the service runs them): p50 ${raw.p50Ms} ms, p99 ${raw.p99Ms} ms; app p50 / raw p50 = ${(a.p50Ms / raw.p50Ms).toFixed(2)}; before the vacuum (after the writes of a): app p50 ${unvacuumed.p50Ms} ms, p99 ${unvacuumed.p99Ms} ms`,
    unvacuumedP50Ms: unvacuumed.p50Ms,
    rawP50Ms: raw.p50Ms,
  });
}

/** (h): a locked year's frozen figures are read, nothing is computed. */
async function lockedReport(ctx: Context) {
  const lockUrl = `${ctx.app.baseUrl}/v1/periods/2025/lock`;
  const locked = await fetch(lockUrl, { method: 'POST', headers: ctx.headers });
  if (locked.status !== 201 && locked.status !== 200)
    throw new Error(`h: lock answered ${locked.status}`);
  const a = await load(ctx.app, get(ctx, [YEAR_REPORT], 1));
  await fetch(lockUrl, { method: 'DELETE', headers: ctx.headers });
  return scenario('h', `GET ${YEAR_REPORT} (2025 locked)`, a, null, { connections: 1 });
}

/** (i): member reads alone, then while 8 heavy reports run (REPORT_CONCURRENCY queues them). */
async function readsBesideReports(ctx: Context) {
  const alone = await load(ctx.app, memberReads(ctx));
  const [withReports, reports] = await Promise.all([
    load(ctx.app, memberReads(ctx)),
    // Queued behind REPORT_CONCURRENCY, the eighth report waits for three before it: more
    // than autocannon's 10 s default timeout, which would abandon it and count an error.
    load(ctx.app, { ...get(ctx, [HEAVY_REPORT], 8), timeoutSeconds: 60 }),
  ]);
  const r = scenario('i', 'GET /v1/members/{id} while 8 heavy reports run', withReports, null);
  return Object.assign(r, {
    aloneP99Ms: alone.p99Ms,
    p99Ratio: alone.p99Ms > 0 ? Math.round((withReports.p99Ms / alone.p99Ms) * 100) / 100 : null,
    reports: {
      requests: reports.requests,
      errors: reports.errors,
      p50Ms: reports.p50Ms,
      statuses: reports.statuses,
    },
    note: `reads alone p99 ${alone.p99Ms} ms; with reports p99 ${withReports.p99Ms} ms; reports: ${reports.requests} answered, ${reports.errors} errors, p50 ${reports.p50Ms} ms`,
  });
}

/** (e): 1,000 new members per request, four connections. */
async function bulk(ctx: Context) {
  const c = Math.min(connections, 4);
  const r = await both(
    ctx,
    'e',
    'POST /v1/members/bulk (1,000 new rows)',
    {
      connections: c,
      seconds,
      method: 'POST',
      headers: ctx.headers,
      path: '/v1/members/bulk',
      bulkRows: 1000,
      iceBase: 8_100_000_000_000 + (Date.now() % 1000) * 1_000_000,
    },
    { connections: c },
  );
  return Object.assign(r, {
    rowsPerSec: Math.round((r.app.rps ?? 0) * 1000),
    floorRowsPerSec: Math.round((r.floor?.rps ?? 0) * 1000),
  });
}

/** The scenarios on the running service (and floor), in the order they run. */
const SCENARIOS: { key: string; run: (ctx: Context) => Promise<ScenarioResult> }[] = [
  {
    key: 'a',
    run: (ctx) =>
      both(ctx, 'a', 'POST /v1/assessments (submit: true)', {
        connections,
        seconds,
        method: 'POST',
        headers: ctx.headers,
        path: '/v1/assessments',
        bodies: assessmentBodies(ctx.inputs.active, today()),
      }),
  },
  {
    key: 'b1',
    run: (ctx) =>
      both(ctx, 'b1', 'GET /v1/members filtered, first page', get(ctx, [FILTERED_LIST])),
  },
  {
    key: 'b2',
    run: (ctx) =>
      both(
        ctx,
        'b2',
        `GET /v1/members filtered, page ${ctx.inputs.deepPage} by cursor`,
        get(ctx, [`${FILTERED_LIST}&cursor=${ctx.inputs.deepCursor}`]),
      ),
  },
  { key: 'c', run: (ctx) => both(ctx, 'c', 'GET /v1/members/{id}', memberReads(ctx)) },
  { key: 'd', run: yearReport },
  {
    key: 'g',
    run: async (ctx) =>
      scenario(
        'g',
        `GET ${HEAVY_REPORT}`,
        await load(ctx.app, { ...get(ctx, [HEAVY_REPORT], 1), seconds: Math.max(seconds, 10) }),
        null,
        { connections: 1 },
      ),
  },
  { key: 'h', run: lockedReport },
  { key: 'i', run: readsBesideReports },
  { key: 'e', run: bulk },
];

function build() {
  if (args['no-build']) return;
  log('build: npm run build');
  const t = performance.now();
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('build failed');
  log(`build: done (${((performance.now() - t) / 1000).toFixed(0)} s)`);
}

const serviceCommand = (profile: boolean) => [
  process.execPath,
  ...(profile ? ['--cpu-prof', '--cpu-prof-dir', `${BENCH}.data/profiles`] : []),
  args.service as string,
];
const floorCommand = [process.execPath, '--import', 'tsx', `${BENCH}floor.ts`];

/** The service as the bench runs it: the limiter counts in PostgreSQL as shipped, its budget
 * raised so that the single bench key is never refused (the shipped budget is measured apart). */
const serviceEnv = (url: string, adminKey: string) => ({
  DATABASE_URL: url,
  JAHIZ_ADMIN_KEY: adminKey,
  RATE_LIMIT_MAX: '1000000000',
});

function floorEnv(url: string) {
  return { DATABASE_URL: url };
}

/** The rate limiter's cost (counter off) and the shipped budget (1,000/min per key). */
async function rateLimiter(url: string, adminKey: string, ctx: Context) {
  const env = serviceEnv(url, adminKey);
  const noLimiter = await startServer('service, RATE_LIMIT_MAX=0', serviceCommand(false), {
    ...env,
    RATE_LIMIT_MAX: '0',
  });
  const off = await load(noLimiter, memberReads(ctx));
  await stopServer(noLimiter);
  const shipped = await startServer('service, shipped RATE_LIMIT_MAX', serviceCommand(false), {
    ...env,
    RATE_LIMIT_MAX: '',
  });
  const limited = await load(shipped, { ...memberReads(ctx), seconds: 5 });
  await stopServer(shipped);
  log(
    `rl: GET member without limiter ${off.rps.toFixed(0)} req/s p50 ${off.p50Ms}; shipped budget: ${JSON.stringify(limited.statuses)}`,
  );
  return {
    rateLimiterOff: { rps: off.rps, p50Ms: off.p50Ms, p99Ms: off.p99Ms, errors: off.errors },
    shippedBudget: { seconds: 5, ok: limited.ok, statuses: limited.statuses },
  };
}

/** (f): the embedded mode (PGlite), (a) and (c) on a smaller dataset of its own. */
async function embeddedMode(url: string, adminKey: string, headers: Record<string, string>) {
  const dataDir = `${BENCH}.data/embedded`;
  const t = performance.now();
  const counts = await migrateAndSeed({ dataDir }, Number(args['embedded-scale']), log);
  const seed = { counts, seconds: Math.round((performance.now() - t) / 100) / 10 };
  const ids = await embeddedIds(dataDir);
  const env = {
    ...serviceEnv('', adminKey),
    JAHIZ_DATA_DIR: dataDir,
  };
  const eApp = await startServer('service (embedded)', serviceCommand(false), env);
  const rss = await idleRss(eApp);
  const summary = {
    seed,
    coldStartMs: eApp.coldStartMs,
    idleRssMb: rss.idleMb,
    rssAfterStartMb: rss.afterStartMb,
  };
  const aBodies = assessmentBodies(ids.active, today());
  /** (a) and (c) on one server, after a short warm-up. */
  const measure = async (server: Server) => {
    const byId: Omit<LoadSpec, 'url'> = {
      connections,
      seconds,
      method: 'GET',
      headers,
      paths: ids.any.map((id) => `/v1/members/${id}`),
    };
    await load(server, { ...byId, seconds: 3 });
    const a = await load(server, {
      connections,
      seconds,
      method: 'POST',
      headers,
      path: '/v1/assessments',
      bodies: aBodies,
    });
    const c = await load(server, byId);
    await stopServer(server);
    return { a, c };
  };
  const app = await measure(eApp);
  const eFloor = await startServer('floor (embedded)', floorCommand, {
    ...floorEnv(url),
    DATABASE_URL: '',
    JAHIZ_DATA_DIR: dataDir,
  });
  const floor = await measure(eFloor);
  return {
    summary,
    results: [
      scenario('f-a', 'embedded: POST /v1/assessments (submit: true)', app.a, floor.a),
      scenario('f-c', 'embedded: GET /v1/members/{id}', app.c, floor.c),
    ],
  };
}

async function main() {
  const url = benchDatabaseUrl();
  const startedAt = performance.now();
  const loadBefore = loadAverage();
  build();
  if (args.growth) {
    await runGrowth({
      url,
      sizes: args.sizes.split(',').map(Number),
      service: serviceCommand(false),
      env: (adminKey) => serviceEnv(url, adminKey),
    });
    return;
  }

  let seed: { counts: unknown; seconds: number } | null = null;
  if (!args.reuse) {
    const t = performance.now();
    await recreatePostgresDatabase(url, log);
    const counts = await migrateAndSeed({ databaseUrl: url }, Number(args.scale), log);
    seed = { counts, seconds: Math.round((performance.now() - t) / 100) / 10 };
    log(`seed: PostgreSQL done in ${seed.seconds} s`);
  }
  const [{ server_version: postgresVersion } = { server_version: '' }] = await query<{
    server_version: string;
  }>(url, 'show server_version');
  const inputs = await pickInputs(url);
  log(
    `inputs: ${inputs.members} members, ${inputs.filtered} FENIP/MA-09 (deep page = page ${inputs.deepPage})`,
  );

  const adminKey = `jz_bench_${randomBytes(16).toString('hex')}`;
  const capture = await captureSql(url, adminKey, inputs.active[0] as string, inputs.deepCursor);
  log(`capture: floor statements match the service's: ${JSON.stringify(capture.floorMatches)}`);

  const app = await startServer(
    'service (PostgreSQL)',
    serviceCommand(args['cpu-prof']),
    serviceEnv(url, adminKey),
  );
  const rss = await idleRss(app);
  log(`service: RSS ${rss.afterStartMb} MiB 2 s after ready, ${rss.idleMb} MiB idle`);
  const floor = await startServer('floor (PostgreSQL)', floorCommand, floorEnv(url));
  const ctx: Context = {
    url,
    app,
    floor,
    headers: { authorization: `Bearer ${adminKey}` },
    inputs,
    capture,
  };

  // Warm-up: JIT and connection pools of both servers.
  await load(app, { ...memberReads(ctx), seconds: 3 });
  await load(floor, { ...memberReads(ctx), seconds: 3 });
  const results: ScenarioResult[] = [];
  for (const { key, run } of SCENARIOS) if (wanted(key)) results.push(await run(ctx));
  await stopServer(app);
  await stopServer(floor);

  const diagnostics = wanted('rl') ? await rateLimiter(url, adminKey, ctx) : {};
  const embedded = wanted('f') ? await embeddedMode(url, adminKey, ctx.headers) : null;
  if (embedded) results.push(...embedded.results);

  const totalSeconds = Math.round((performance.now() - startedAt) / 1000);
  writeResults(args.out ?? null, {
    machine: { ...machine(), postgres: postgresVersion },
    date: new Date().toISOString(),
    conditions: { loadAverageBefore: loadBefore, loadAverageAfter: loadAverage(), totalSeconds },
    settings: {
      scale: Number(args.scale),
      seconds,
      connections,
      members: inputs.members,
      filteredMembers: inputs.filtered,
      deepPage: inputs.deepPage,
    },
    seed,
    postgres: {
      coldStartMs: app.coldStartMs,
      idleRssMb: rss.idleMb,
      rssAfterStartMb: rss.afterStartMb,
      floorColdStartMs: floor.coldStartMs,
    },
    embedded: embedded?.summary ?? {},
    capture: {
      floorMatches: capture.floorMatches,
      statements: Object.fromEntries(
        Object.entries(capture.statements).map(([k, list]) => [k, list.map((s) => s.text)]),
      ),
    },
    diagnostics,
    scenarios: results,
  });
  log(`bench: done in ${totalSeconds} s → bench/results.json, bench/RESULTS.md`);
}

/** Member ids of the embedded dataset (read before the service holds the folder). */
async function embeddedIds(dataDir: string) {
  const { openEmbedded } = await import('../src/db/embedded.js');
  const engine = await openEmbedded(dataDir);
  try {
    const active = (
      await engine.pool.query(
        `select id from members where status = 'active' order by random() limit 2000`,
      )
    ).rows.map((r) => r.id as string);
    const any = (
      await engine.pool.query('select id from members order by random() limit 2000')
    ).rows.map((r) => r.id as string);
    return { active, any };
  } finally {
    await engine.pool.end();
    await engine.closeEngine();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
