// Soak test: `npm run soak -- [--seconds 180] [--rate 40] [--warmup 20]`.
// Starts the built service as a child process on a scratch database of a real PostgreSQL server
// (BENCH_DATABASE_URL or DATABASE_URL), warms it up, then sends a fixed rate of mixed reads and
// writes over loopback for the duration. Goals: no error, and the child's resident memory at the
// end within 20 % of its value after warm-up. Writes bench/soak-results.json; exits 1 on a miss.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { percentile, rssMb, type Server, startServer, stopServer } from './harness.js';

const RSS_GROWTH_GOAL = 0.2;
const ROOT = new URL('..', import.meta.url).pathname;

interface Operation {
  name: string;
  weight: number;
  /** Sends one request; resolves to an error message, or null when the answer was right. */
  send(): Promise<string | null>;
}

interface Tally {
  sent: number;
  errors: number;
  latenciesMs: number[];
  firstErrors: string[];
}

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '180' },
    rate: { type: 'string', default: '40' },
    warmup: { type: 'string', default: '20' },
  },
});
const seconds = Number(args.seconds);
const rate = Number(args.rate);
const warmupSeconds = Number(args.warmup);

async function main() {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!serverUrl?.startsWith('postgres')) {
    console.error('soak: set BENCH_DATABASE_URL (or DATABASE_URL) to a PostgreSQL server URL');
    process.exit(2);
  }
  const scratch = await createScratchDatabase(serverUrl);
  let server: Server | undefined;
  try {
    console.log('soak: building');
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
    const adminKey = `jz_soak_${randomBytes(16).toString('hex')}`;
    server = await startServer('soak: service', [process.execPath, 'dist/src/server.js'], {
      DATABASE_URL: scratch.url,
      JAHIZ_ADMIN_KEY: adminKey,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      // The limiter runs on every request (its cost is part of the soak) without refusing any.
      RATE_LIMIT_MAX: String(Math.max(1000, rate * 60 * 4)),
    });
    const base = server.baseUrl;
    const pid = server.child.pid as number;
    const operations = await operationsFor(base, adminKey);

    console.log(`soak: warming up ${warmupSeconds} s at ${rate}/s`);
    await drive(operations, rate, warmupSeconds);
    const rssAfterWarmup = rssMb(pid);
    console.log(`soak: RSS after warm-up ${rssAfterWarmup} MiB; running ${seconds} s at ${rate}/s`);
    const tallies = await drive(operations, rate, seconds);
    const rssAtEnd = rssMb(pid);
    const results = summarise(tallies, rssAfterWarmup, rssAtEnd);
    writeFileSync(
      new URL('soak-results.json', import.meta.url),
      `${JSON.stringify(results, null, 2)}\n`,
    );
    console.log(JSON.stringify(results, null, 2));
    console.log(`soak: ${results.pass ? 'PASS' : 'FAIL'} (bench/soak-results.json)`);
    process.exitCode = results.pass ? 0 : 1;
  } finally {
    if (server) await stopServer(server);
    await scratch.drop();
  }
}

/** A database of its own on the server, dropped at the end: runs are comparable and clean. */
async function createScratchDatabase(serverUrl: string) {
  const name = `jahiz_soak_${Date.now()}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(serverUrl: string, statement: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The traffic mix; member operations join when the service has them. */
async function operationsFor(base: string, adminKey: string): Promise<Operation[]> {
  let serial = 0;
  const next = () => {
    serial += 1;
    return serial.toString(36).toUpperCase().padStart(6, '0');
  };
  const run = randomBytes(3).toString('hex').toUpperCase();
  const call = async (method: string, path: string, expected: number, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'POST' ? { 'idempotency-key': `soak-${run}-${next()}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status !== expected) {
      return { error: `${method} ${path}: ${response.status} ${text.slice(0, 200)}`, json: null };
    }
    return { error: null, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  const check = (p: Promise<{ error: string | null }>) => p.then((r) => r.error);

  const operations: Operation[] = [
    { name: 'GET /v1/partners', weight: 30, send: () => check(call('GET', '/v1/partners', 200)) },
    {
      name: 'GET /v1/partners/{code}',
      weight: 20,
      send: () => check(call('GET', '/v1/partners/FENIP', 200)),
    },
    { name: 'GET /health/ready', weight: 10, send: () => check(call('GET', '/health/ready', 200)) },
    { name: 'GET /v1/api-keys', weight: 5, send: () => check(call('GET', '/v1/api-keys', 200)) },
    {
      name: 'POST /v1/partners',
      weight: 8,
      send: () =>
        check(
          call('POST', '/v1/partners', 201, { code: `S${run}${next()}`, name: 'Soak federation' }),
        ),
    },
    {
      name: 'POST+DELETE /v1/api-keys',
      weight: 7,
      send: async () => {
        const created = await call('POST', '/v1/api-keys', 201, {
          name: 'soak',
          role: 'reporting',
        });
        if (created.error) return created.error;
        return check(call('DELETE', `/v1/api-keys/${created.json?.id}`, 200));
      },
    },
  ];
  const spec = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: object };
  if ('/v1/members' in spec.paths) {
    operations.push(
      {
        name: 'POST /v1/members',
        weight: 10,
        send: () =>
          check(
            call('POST', '/v1/members', 201, {
              partnerCode: 'FENIP',
              externalRef: `soak-${run}-${next()}`,
              type: 'cooperative',
              name: 'Coopérative de soak',
              region: 'MA-09',
              remoteArea: false,
              womenLed: true,
            }),
          ),
      },
      {
        name: 'GET /v1/members',
        weight: 10,
        send: () => check(call('GET', '/v1/members?partner=FENIP', 200)),
      },
    );
  }
  return operations;
}

/** Open model: requests leave at the fixed rate whatever the answers take. */
async function drive(operations: Operation[], perSecond: number, durationS: number) {
  const tallies = new Map<string, Tally>(
    operations.map((o) => [o.name, { sent: 0, errors: 0, latenciesMs: [], firstErrors: [] }]),
  );
  const totalWeight = operations.reduce((sum, o) => sum + o.weight, 0);
  const pick = (i: number) => {
    let point = (i * 7919) % totalWeight; // spread the kinds evenly over time
    for (const o of operations) {
      if (point < o.weight) return o;
      point -= o.weight;
    }
    return operations[0] as Operation;
  };
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  const total = Math.round(perSecond * durationS);
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const operation = pick(i);
    const tally = tallies.get(operation.name) as Tally;
    tally.sent += 1;
    const sentAt = performance.now();
    const request = operation
      .send()
      .catch((error: Error) => `${operation.name}: ${error.message}`)
      .then((error) => {
        tally.latenciesMs.push(performance.now() - sentAt);
        if (error) {
          tally.errors += 1;
          if (tally.firstErrors.length < 5) tally.firstErrors.push(error);
        }
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  return tallies;
}

/** The run's figures; resident memory in MiB. */
function summarise(tallies: Map<string, Tally>, rssAfterWarmup: number, rssAtEnd: number) {
  const operations = [...tallies].map(([name, t]) => {
    const sorted = [...t.latenciesMs].sort((a, b) => a - b);
    const at = (q: number) => round(percentile(sorted, q));
    return {
      name,
      sent: t.sent,
      errors: t.errors,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      firstErrors: t.firstErrors,
    };
  });
  const errors = operations.reduce((sum, o) => sum + o.errors, 0);
  const growth = rssAfterWarmup > 0 ? (rssAtEnd - rssAfterWarmup) / rssAfterWarmup : 0;
  return {
    at: new Date().toISOString(),
    seconds,
    ratePerSecond: rate,
    warmupSeconds,
    requests: operations.reduce((sum, o) => sum + o.sent, 0),
    errors,
    rss: {
      afterWarmupMiB: rssAfterWarmup,
      atEndMiB: rssAtEnd,
      growthPercent: round(growth * 100),
    },
    goals: { errors: 0, rssGrowthPercentAtMost: RSS_GROWTH_GOAL * 100 },
    pass: errors === 0 && growth <= RSS_GROWTH_GOAL,
    operations,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

main().catch((error: unknown) => {
  console.error(`soak: ${(error as Error).message ?? error}`);
  process.exit(1);
});
