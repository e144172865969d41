// `npm run bench -- [--scale 1] [--seconds 15] [--connections 20] [--embedded-scale 0.1]
//   [--reuse] [--no-build] [--cpu-prof]`
// Seeds a programme-scale dataset in the PostgreSQL database BENCH_DATABASE_URL names (dropped
// and created again), then runs each scenario with autocannon (a process of its own) against
// the built service and against the floor (bench/floor.ts: the same SQL through plain pg),
// interleaved, and the embedded mode on PGlite. Writes bench/results.json and bench/RESULTS.md.
// Loopback only. See README → Benchmarks.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { answerProfiles } from './answers.js';
import { expectStatus, normalise, type Statement, withRecordingApp } from './capture.js';
import { migrateAndSeed, recreatePostgresDatabase } from './database.js';
import { FLOOR_SQL, upsertMembersSql } from './floor.js';
import type { LoadSpec, LoadSummary } from './load.js';
import { writeResults } from './report.js';
import { assessmentBodies, bulkBody } from './workload.js';

const ROOT = new URL('..', import.meta.url).pathname;
const BENCH = new URL('.', import.meta.url).pathname;
const PAGE = 20;
const DEEP_PAGES = 1000;

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
  },
});
const scale = Number(args.scale);
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const only = args.only ? new Set(args.only.split(',')) : null;
const wanted = (key: string) => only === null || only.has(key);

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const today = () => new Date().toISOString().slice(0, 10);

export interface Server {
  child: ChildProcess;
  baseUrl: string;
  coldStartMs: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Spawns a server and waits for /health/ready; the time to that is its cold start. */
async function startServer(
  label: string,
  command: string[],
  env: NodeJS.ProcessEnv,
): Promise<Server> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0] as string, command.slice(1), {
    cwd: ROOT,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited: ${stderr}`);
    try {
      const response = await fetch(`${baseUrl}/health/ready`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 120_000) throw new Error(`${label} did not start: ${stderr}`);
    await sleep(10);
  }
  const coldStartMs = Math.round(performance.now() - started);
  log(`${label}: ready in ${coldStartMs} ms (pid ${child.pid})`);
  return { child, baseUrl, coldStartMs };
}

async function stopServer(server: Server) {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** Resident memory of a process, in MiB. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

/** User + system CPU time of a process, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

let loadIndex = 0;
/** Runs one autocannon load in a child process; returns its summary with the server's cost. */
async function load(server: Server, spec: Omit<LoadSpec, 'url'>) {
  loadIndex += 1;
  const file = `${BENCH}.data/work/load-${loadIndex}.json`;
  writeFileSync(file, JSON.stringify({ ...spec, url: server.baseUrl }));
  const pid = server.child.pid as number;
  const cpuBefore = cpuMs(pid);
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${BENCH}load.ts`, file], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`load exited ${code}`)),
    );
  });
  const summary = JSON.parse(output.trim().split('\n').pop() as string) as LoadSummary;
  const cpu = cpuMs(pid) - cpuBefore;
  return {
    ...summary,
    cpuMsPerRequest: summary.requests > 0 ? Math.round((cpu / summary.requests) * 100) / 100 : null,
    rssMb: rssMb(pid),
  };
}

export type Measured = Awaited<ReturnType<typeof load>>;

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

const pgUrl = process.env.BENCH_DATABASE_URL;

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The service's statements minus authentication, the rate-limit counter and transaction control. */
function businessStatements(statements: Statement[]) {
  return statements
    .map((s) => s.text)
    .filter(
      (text) =>
        !/^(begin|commit|rollback)$/i.test(text) &&
        !text.startsWith('select "id", "role", "partner_code" from "api_keys"') &&
        !text.startsWith('insert into rate_limit_buckets'),
    );
}

interface Capture {
  statements: Record<string, Statement[]>;
  floorMatches: Record<string, boolean>;
  reportStatements: Statement[];
}

/** Records one request of each scenario on the service and checks the floor's statements. */
async function captureSql(
  adminKey: string,
  memberId: string,
  deepCursor: string,
): Promise<Capture> {
  const env = { DATABASE_URL: pgUrl, JAHIZ_ADMIN_KEY: adminKey };
  return withRecordingApp(env, async (app, record) => {
    const headers = { authorization: `Bearer ${adminKey}` };
    const list = '/v1/members?partner=FENIP&region=MA-09&limit=20';
    await expectStatus(app, { method: 'GET', url: `/v1/members/${memberId}`, headers }, 200);
    const statements: Record<string, Statement[]> = {
      c: await record(() =>
        expectStatus(app, { method: 'GET', url: `/v1/members/${memberId}`, headers }, 200),
      ),
      b1: await record(() => expectStatus(app, { method: 'GET', url: list, headers }, 200)),
      b2: await record(() =>
        expectStatus(app, { method: 'GET', url: `${list}&cursor=${deepCursor}`, headers }, 200),
      ),
      a: await record(() =>
        expectStatus(
          app,
          {
            method: 'POST',
            url: '/v1/assessments',
            headers,
            payload: JSON.parse(assessmentBodies([memberId], today())[0] as string),
          },
          201,
        ),
      ),
      e: await record(() =>
        expectStatus(
          app,
          {
            method: 'POST',
            url: '/v1/members/bulk',
            headers,
            payload: JSON.parse(bulkBody(0, 2, 8_000_000_000_000 + (Date.now() % 1e6) * 10)),
          },
          200,
        ),
      ),
      d: await record(() =>
        expectStatus(
          app,
          { method: 'GET', url: '/v1/reports/kpis?period=2025&by=partner', headers },
          200,
        ),
      ),
    };
    const expected: Record<string, string[]> = {
      c: [FLOOR_SQL.getMember],
      b1: [FLOOR_SQL.listFirst],
      b2: [FLOOR_SQL.listAfter],
      a: [
        FLOOR_SQL.lockMember,
        FLOOR_SQL.grid,
        FLOOR_SQL.insertAssessment,
        FLOOR_SQL.findAssessment,
        FLOOR_SQL.auditEvents,
        FLOOR_SQL.markSubmitted,
        FLOOR_SQL.latestSubmitted,
        FLOOR_SQL.setReadiness,
        FLOOR_SQL.auditEvents,
        FLOOR_SQL.findAssessment,
      ],
      e: [
        FLOOR_SQL.partners,
        FLOOR_SQL.byExternalRefs,
        FLOOR_SQL.iceHolders,
        upsertMembersSql(),
        FLOOR_SQL.auditEvents,
      ],
    };
    const floorMatches: Record<string, boolean> = {};
    for (const [key, texts] of Object.entries(expected)) {
      const actual = businessStatements(statements[key] ?? []);
      floorMatches[key] = JSON.stringify(actual) === JSON.stringify(texts.map(normalise));
      if (!floorMatches[key]) {
        log(`capture: floor statements of ${key} differ from the service's:`);
        for (const text of actual) log(`  service: ${text.slice(0, 200)}`);
      }
    }
    return {
      statements,
      floorMatches,
      // The transaction's own statements stay: the report runs on one snapshot and connection.
      reportStatements: statements.d ?? [],
    };
  });
}

/**
 * The report's SQL timed directly: the service's captured statements (auth and counter
 * excluded) replayed as the service runs them (in turn, on one connection, in its read-only
 * transaction), `concurrency` reports at a time for `seconds`.
 */
/** What autovacuum would have done by now: visibility maps and statistics brought up to date. */
async function vacuumAnalyze() {
  const started = performance.now();
  await query('vacuum (analyze) members, assessments, readiness_spans');
  log(`vacuum analyze: ${Math.round(performance.now() - started)} ms`);
}

async function rawReport(statements: Statement[], concurrency: number, secondsToRun: number) {
  const business = statements.filter(
    (s) =>
      !s.text.startsWith('select "id", "role", "partner_code" from "api_keys"') &&
      !s.text.startsWith('insert into rate_limit_buckets'),
  );
  // As the service runs them: one connection, in order, inside its read-only transaction.
  const pool = new pg.Pool({ connectionString: pgUrl, max: concurrency });
  const latencies: number[] = [];
  const end = performance.now() + secondsToRun * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const client = await pool.connect();
      try {
        for (const s of business) await client.query(s.text, s.values);
      } finally {
        client.release();
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await pool.end();
  latencies.sort((x, y) => x - y);
  const at = (p: number) =>
    Math.round(
      (latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 10,
    ) / 10;
  return {
    requests: latencies.length,
    rps: latencies.length / secondsToRun,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    statements: business.length,
  };
}

function build() {
  if (args['no-build']) return;
  log('build: npm run build');
  const t = performance.now();
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('build failed');
  log(`build: done (${((performance.now() - t) / 1000).toFixed(0)} s)`);
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

const serviceCommand = (profile: boolean) => [
  process.execPath,
  ...(profile ? ['--cpu-prof', '--cpu-prof-dir', `${BENCH}.data/profiles`] : []),
  args.service as string,
];
const floorCommand = [process.execPath, '--import', 'tsx', `${BENCH}floor.ts`];

async function main() {
  if (!pgUrl?.startsWith('postgres')) {
    console.error(
      'bench: set BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/jahiz_bench',
    );
    process.exit(2);
  }
  const host = new URL(pgUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    console.error('bench: BENCH_DATABASE_URL must be a loopback address');
    process.exit(2);
  }
  mkdirSync(`${BENCH}.data/work`, { recursive: true });
  const startedAt = performance.now();
  const loadBefore = os.loadavg();
  build();

  let seed: { counts: unknown; seconds: number } | null = null;
  if (!args.reuse) {
    const t = performance.now();
    await recreatePostgresDatabase(pgUrl, log);
    const counts = await migrateAndSeed({ databaseUrl: pgUrl }, scale, log);
    seed = { counts, seconds: Math.round((performance.now() - t) / 100) / 10 };
    log(`seed: PostgreSQL done in ${seed.seconds} s`);
  }
  const postgresVersion = (await query<{ server_version: string }>('show server_version'))[0]
    ?.server_version;
  const [{ n: memberCount } = { n: 0 }] = await query<{ n: number }>(
    'select count(*)::int as n from members',
  );

  // Inputs of the scenarios: active members to assess, any members to read, the deep cursor.
  const active = (
    await query<{ id: string }>(
      `select id from members where status = 'active' order by random() limit 4000`,
    )
  ).map((r) => r.id);
  const anyMembers = (
    await query<{ id: string }>('select id from members order by random() limit 4000')
  ).map((r) => r.id);
  const [{ n: filtered } = { n: 0 }] = await query<{ n: number }>(
    `select count(*)::int as n from members where partner_code = 'FENIP' and region = 'MA-09'`,
  );
  const depth = Math.max(1, Math.min(DEEP_PAGES, Math.floor((filtered - 1) / PAGE)));
  const [{ id: cursorId } = { id: '' }] = await query<{ id: string }>(
    `select id from members where partner_code = 'FENIP' and region = 'MA-09' order by id offset $1 limit 1`,
    [depth * PAGE - 1],
  );
  const deepCursor = Buffer.from(JSON.stringify([cursorId])).toString('base64url');
  log(`inputs: ${memberCount} members, ${filtered} FENIP/MA-09 (deep page = page ${depth + 1})`);

  const adminKey = `jz_bench_${randomBytes(16).toString('hex')}`;
  const capture = await captureSql(adminKey, active[0] as string, deepCursor);
  log(`capture: floor statements match the service's: ${JSON.stringify(capture.floorMatches)}`);
  const profile = answerProfiles()[2];

  const headers = { authorization: `Bearer ${adminKey}` };
  const serviceEnv = {
    DATABASE_URL: pgUrl,
    JAHIZ_ADMIN_KEY: adminKey,
    // The limiter counts every request in PostgreSQL as shipped; its budget is raised so that a
    // single benchmark key is never refused (the shipped 1,000/min is measured apart below).
    RATE_LIMIT_MAX: '1000000000',
  };
  const floorEnv = {
    DATABASE_URL: pgUrl,
    FLOOR_RESULT: JSON.stringify(profile?.result ?? {}),
    FLOOR_SCORE: String(profile?.result.score ?? 50),
    FLOOR_CATEGORY: profile?.result.category ?? 'C',
  };
  const app = await startServer(
    'service (PostgreSQL)',
    serviceCommand(args['cpu-prof']),
    serviceEnv,
  );
  await sleep(2000);
  const idleRssMb = rssMb(app.child.pid as number);
  log(`service: idle RSS ${idleRssMb} MiB`);
  const floor = await startServer('floor (PostgreSQL)', floorCommand, floorEnv);

  const results: ScenarioResult[] = [];
  const both = async (
    key: string,
    name: string,
    spec: Omit<LoadSpec, 'url'>,
    extra: Partial<ScenarioResult> = {},
  ) => {
    if (!wanted(key)) return;
    const a = await load(app, spec);
    const f = await load(floor, { ...spec, iceBase: (spec.iceBase ?? 0) + 500_000_000_000 });
    results.push(scenario(key, name, a, f, extra));
    return { a, f };
  };
  const get = (paths: string[], c = connections): Omit<LoadSpec, 'url'> => ({
    connections: c,
    seconds,
    method: 'GET',
    headers,
    paths,
  });

  // Warm-up: JIT and connection pools of both servers.
  await load(app, { ...get(anyMembers.map((id) => `/v1/members/${id}`)), seconds: 3 });
  await load(floor, { ...get(anyMembers.map((id) => `/v1/members/${id}`)), seconds: 3 });

  await both('a', 'POST /v1/assessments (submit: true)', {
    connections,
    seconds,
    method: 'POST',
    headers,
    path: '/v1/assessments',
    bodies: assessmentBodies(active, today()),
  });
  const list = '/v1/members?partner=FENIP&region=MA-09&limit=20';
  await both('b1', 'GET /v1/members filtered, first page', get([list]));
  await both(
    'b2',
    `GET /v1/members filtered, page ${depth + 1} by cursor`,
    get([`${list}&cursor=${deepCursor}`]),
  );
  await both('c', 'GET /v1/members/{id}', get(anyMembers.map((id) => `/v1/members/${id}`)));

  if (wanted('d')) {
    const reportConnections = 1;
    const report = get(['/v1/reports/kpis?period=2025&by=partner'], reportConnections);
    // The submissions of (a) leave changed pages that index-only scans must visit until a
    // vacuum. This PostgreSQL runs with autovacuum off (a production server has it on, and
    // migration 0009 tunes it for these tables), so: once as left, then after a vacuum.
    const unvacuumed = await load(app, { ...report, seconds: Math.min(seconds, 8) });
    await vacuumAnalyze();
    const a = await load(app, report);
    const raw = await rawReport(capture.reportStatements, reportConnections, seconds);
    const r = scenario('d', 'GET /v1/reports/kpis?period=2025&by=partner', a, null, {
      connections: reportConnections,
    });
    r.floorRps = Math.round(raw.rps * 10) / 10;
    r.ratio = Math.round((a.rps / raw.rps) * 100) / 100;
    r.note = `raw SQL (${raw.statements} statements replayed as the service runs them): p50 ${raw.p50Ms} ms, p99 ${raw.p99Ms} ms; app p50 / raw p50 = ${(a.p50Ms / raw.p50Ms).toFixed(2)}; before the vacuum (after the writes of a): app p50 ${unvacuumed.p50Ms} ms, p99 ${unvacuumed.p99Ms} ms`;
    (r as ScenarioResult & { unvacuumedP50Ms: number }).unvacuumedP50Ms = unvacuumed.p50Ms;
    (r as ScenarioResult & { rawP50Ms: number }).rawP50Ms = raw.p50Ms;
    log(`d raw SQL: ${raw.rps.toFixed(1)} reports/s p50 ${raw.p50Ms} p99 ${raw.p99Ms}`);
    results.push(r);
  }

  // g: the heaviest report, 48 months by partner and region, every KPI (issue 11).
  const heavyReport = '/v1/reports/kpis?period=2023-01..2026-12&by=partner,region';
  if (wanted('g')) {
    const a = await load(app, { ...get([heavyReport], 1), seconds: Math.max(seconds, 10) });
    results.push(scenario('g', `GET ${heavyReport}`, a, null, { connections: 1 }));
  }

  // h: a locked year, by partner: its frozen figures are read, nothing is computed.
  if (wanted('h')) {
    const lockUrl = `${app.baseUrl}/v1/periods/2025/lock`;
    const locked = await fetch(lockUrl, { method: 'POST', headers });
    if (locked.status !== 201 && locked.status !== 200)
      throw new Error(`h: lock answered ${locked.status}`);
    const a = await load(app, get(['/v1/reports/kpis?period=2025&by=partner'], 1));
    await fetch(lockUrl, { method: 'DELETE', headers });
    results.push(
      scenario('h', 'GET /v1/reports/kpis?period=2025&by=partner (2025 locked)', a, null, {
        connections: 1,
      }),
    );
  }

  // i: member reads alone, then while 8 heavy reports run (REPORT_CONCURRENCY queues them).
  if (wanted('i')) {
    const reads = get(anyMembers.map((id) => `/v1/members/${id}`));
    const alone = await load(app, reads);
    const [withReports, reports] = await Promise.all([
      load(app, reads),
      // Queued behind REPORT_CONCURRENCY, the eighth report waits for three before it: more
      // than autocannon's 10 s default timeout, which would abandon it and count an error.
      load(app, { ...get([heavyReport], 8), timeoutSeconds: 60 }),
    ]);
    const r = scenario('i', 'GET /v1/members/{id} while 8 heavy reports run', withReports, null);
    Object.assign(r, {
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
    results.push(r);
  }

  const bulkConnections = Math.min(connections, 4);
  const bulk = await both(
    'e',
    'POST /v1/members/bulk (1,000 new rows)',
    {
      connections: bulkConnections,
      seconds,
      method: 'POST',
      headers,
      path: '/v1/members/bulk',
      bulkRows: 1000,
      iceBase: 8_100_000_000_000 + (Date.now() % 1000) * 1_000_000,
    },
    { connections: bulkConnections },
  );
  if (bulk) {
    const r = results[results.length - 1] as ScenarioResult;
    r.rowsPerSec = Math.round(bulk.a.rps * 1000);
    r.floorRowsPerSec = Math.round(bulk.f.rps * 1000);
  }

  // The rate limiter: its cost (counter off) and the shipped budget (1,000/min per key).
  const diagnostics: Record<string, unknown> = {};
  if (wanted('rl')) {
    await stopServer(app);
    const noLimiter = await startServer('service, RATE_LIMIT_MAX=0', serviceCommand(false), {
      ...serviceEnv,
      RATE_LIMIT_MAX: '0',
    });
    const off = await load(noLimiter, get(anyMembers.map((id) => `/v1/members/${id}`)));
    await stopServer(noLimiter);
    const shipped = await startServer('service, shipped RATE_LIMIT_MAX', serviceCommand(false), {
      ...serviceEnv,
      RATE_LIMIT_MAX: '',
    });
    const limited = await load(shipped, {
      ...get(anyMembers.map((id) => `/v1/members/${id}`)),
      seconds: 5,
    });
    await stopServer(shipped);
    diagnostics.rateLimiterOff = {
      rps: off.rps,
      p50Ms: off.p50Ms,
      p99Ms: off.p99Ms,
      errors: off.errors,
    };
    diagnostics.shippedBudget = { seconds: 5, ok: limited.ok, statuses: limited.statuses };
    log(
      `rl: GET member without limiter ${off.rps.toFixed(0)} req/s p50 ${off.p50Ms}; shipped budget: ${JSON.stringify(limited.statuses)}`,
    );
  } else {
    await stopServer(app);
  }
  await stopServer(floor);

  // Embedded mode (PGlite): (a) and (c) on a smaller dataset of its own.
  const embedded: Record<string, unknown> = {};
  if (wanted('f')) {
    const embeddedScale = Number(args['embedded-scale']);
    const dataDir = `${BENCH}.data/embedded`;
    const t = performance.now();
    const counts = await migrateAndSeed({ dataDir }, embeddedScale, log);
    embedded.seed = { counts, seconds: Math.round((performance.now() - t) / 100) / 10 };
    const ids = await embeddedIds(dataDir);
    const embeddedEnv = {
      DATABASE_URL: '',
      JAHIZ_DATA_DIR: dataDir,
      JAHIZ_ADMIN_KEY: adminKey,
      RATE_LIMIT_MAX: '1000000000',
    };
    const eApp = await startServer('service (embedded)', serviceCommand(false), embeddedEnv);
    await sleep(2000);
    embedded.coldStartMs = eApp.coldStartMs;
    embedded.idleRssMb = rssMb(eApp.child.pid as number);
    const aBodies = assessmentBodies(ids.active, today());
    /** (a) and (c) on one server, after a short warm-up. */
    const measure = async (server: Server) => {
      const byId = get(ids.any.map((id) => `/v1/members/${id}`));
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
    const { a: ea, c: ec } = await measure(eApp);
    const eFloor = await startServer('floor (embedded)', floorCommand, {
      ...floorEnv,
      DATABASE_URL: '',
      JAHIZ_DATA_DIR: dataDir,
    });
    const { a: fa, c: fc } = await measure(eFloor);
    results.push(scenario('f-a', 'embedded: POST /v1/assessments (submit: true)', ea, fa));
    results.push(scenario('f-c', 'embedded: GET /v1/members/{id}', ec, fc));
  }

  const totalSeconds = Math.round((performance.now() - startedAt) / 1000);
  writeResults(args.out ?? null, {
    machine: { ...machine(), postgres: postgresVersion },
    date: new Date().toISOString(),
    conditions: {
      loadAverageBefore: loadBefore.map((x) => Math.round(x * 10) / 10),
      loadAverageAfter: os.loadavg().map((x) => Math.round(x * 10) / 10),
      totalSeconds,
    },
    settings: {
      scale,
      seconds,
      connections,
      members: memberCount,
      filteredMembers: filtered,
      deepPage: depth + 1,
    },
    seed,
    postgres: { coldStartMs: app.coldStartMs, idleRssMb, floorColdStartMs: floor.coldStartMs },
    embedded,
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
