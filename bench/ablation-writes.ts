// What the writes (a) submit and (e) bulk cost the service's process beyond the floor's, with
// PostgreSQL taken out: one request of each is recorded against the benchmark database (every
// statement's result, in order, for the service and for the floor), then both answer the same
// request again and again through app.inject with their pools replaying those results. What is
// left is the Node.js work each does around its statements: layers, validation, scoring, query
// building, audit and events for the service; a fixed result and plain parameters for the floor.
// The service's own steps are then timed alone on the same inputs. See bench/ablation.md.
//
//   BENCH_DATABASE_URL=postgres://… npx tsx bench/ablation-writes.ts [--rounds 7] [--bulk-rows 100]
// ABL_PROF=/tmp/x also writes a CPU profile of one replayed batch of the service per scenario
// (/tmp/x-a.cpuprofile, /tmp/x-e.cpuprofile); ABL_LOG=file keeps the service's log lines.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import pgModule from 'pg';
import pino from 'pino';
import { BODY_LIMIT, buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { bodyValidator } from '../src/http/plugins/validation.js';
import { assessedOnErrors } from '../src/modules/assessments/commands.js';
import { NewAssessmentSchema } from '../src/modules/assessments/schemas.js';
import { diffChanges } from '../src/modules/audit/repository.js';
import { loadGrid } from '../src/modules/grids/repository.js';
import { scoreAssessment, validateAnswers } from '../src/modules/grids/scoring.js';
import { BulkRequestSchema } from '../src/modules/members/schemas.js';
import { prepareDatabase } from '../src/startup.js';
import { inProcessFloor } from './floor.js';
import { cpuMicrosPerCall, median } from './harness.js';
import { assessmentBodies, bulkBody } from './workload.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    'bulk-rows': { type: 'string', default: '100' },
  },
});
const ROUNDS = Number(args.rounds);
const BULK_ROWS = Number(args['bulk-rows']);
const CONCURRENCY = 4;

interface Recorded {
  text: string;
  result: { command: string; rowCount: number | null; rows: unknown[] };
}

/**
 * A pool that, while recording, passes statements through and keeps their results in order;
 * while replaying, each connection taken answers its statements with the recorded results, in
 * order (the texts must match). A request of (a) or (e) runs on one connection: its transaction.
 */
function replayable(pool: pg.Pool) {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  let mode: 'live' | 'record' | 'replay' = 'live';
  let tape: Recorded[] = [];
  let recordedConnections = 0;
  /**
   * A connection that replays the tape when its first statement is the tape's first; any other
   * use (the key cache's revalidation, the limiter's flush) goes to the database as usual.
   */
  const replayClient = () => {
    let next = 0;
    let live: pg.PoolClient | undefined;
    return {
      query: async (text: string, values?: unknown[]) => {
        if (next === 0 && !live && tape[0]?.text !== text) live = await connect();
        if (live) return live.query(text, values);
        const entry = tape[next];
        next += 1;
        if (entry?.text !== text) throw new Error(`replay out of step: ${text.slice(0, 80)}`);
        return { ...entry.result, rows: structuredClone(entry.result.rows) };
      },
      release: (error?: Error) => live?.release(error),
      on: () => undefined,
    };
  };
  const original = pool.connect.bind(pool) as (callback?: unknown) => unknown;
  // pool.query() takes its client with a callback: that path stays live.
  (pool as unknown as { connect: (callback?: unknown) => unknown }).connect = (callback) =>
    callback ? original(callback) : take();
  const take = async () => {
    if (mode === 'replay') return replayClient();
    const client = await connect();
    if (mode !== 'record') return client;
    recordedConnections += 1;
    // An own property over the prototype's query, removed when the client goes back.
    const query = client.query as unknown as (t: string, v?: unknown[]) => Promise<pg.QueryResult>;
    // pg-pool's release is the client's own property already: put it back as it was.
    const release = client.release;
    Object.assign(client, {
      query: async (text: string, values?: unknown[]) => {
        const result = await query.call(client, text, values);
        tape.push({
          text,
          result: { command: result.command, rowCount: result.rowCount, rows: result.rows },
        });
        return result;
      },
      release: (error?: Error) => {
        Reflect.deleteProperty(client, 'query');
        client.release = release;
        return release.call(client, error);
      },
    });
    return client;
  };
  return {
    record() {
      mode = 'record';
      tape = [];
      recordedConnections = 0;
    },
    replay() {
      if (recordedConnections !== 1)
        throw new Error(`the request took ${recordedConnections} connections, not one`);
      mode = 'replay';
    },
    statements: () => tape.length,
  };
}

interface Request {
  method: 'POST';
  url: string;
  payload: string;
  headers: Record<string, string>;
}

async function send(app: FastifyInstance, request: Request) {
  const response = await app.inject(request);
  if (response.statusCode >= 300)
    throw new Error(`${request.url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
  return response;
}

/** CPU µs per request of `count` replayed requests, CONCURRENCY in flight. */
async function cpuPerRequest(app: FastifyInstance, request: Request, count: number) {
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      sent += 1;
      await send(app, request);
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

/** CPU µs per call of a synchronous step, median of rounds. */
function stepMicros(work: () => unknown, calls: number) {
  const figures: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) figures.push(cpuMicrosPerCall(work, calls));
  return median(figures);
}

interface Side {
  app: FastifyInstance;
  pool: ReturnType<typeof replayable>;
}

/** Records one request on each side, then measures both replaying it, A-B-B-A per round. */
async function paired(name: string, service: Side, floor: Side, requests: [Request, Request]) {
  const bytes: number[] = [];
  for (const [side, request] of [
    [service, requests[0]],
    [floor, requests[1]],
  ] as const) {
    side.pool.record();
    bytes.push((await send(side.app, request)).rawPayload.length);
    side.pool.replay();
  }
  const count = name === 'e' ? 40 : 400;
  await cpuPerRequest(service.app, requests[0], count);
  await cpuPerRequest(floor.app, requests[1], count);
  if (process.env.ABL_PROF) {
    const { Session } = await import('node:inspector/promises');
    const { writeFileSync } = await import('node:fs');
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    await cpuPerRequest(service.app, requests[0], count);
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${process.env.ABL_PROF}-${name}.cpuprofile`, JSON.stringify(profile));
  }
  const app: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const a1 = await cpuPerRequest(service.app, requests[0], count);
    const f1 = await cpuPerRequest(floor.app, requests[1], count);
    const f2 = await cpuPerRequest(floor.app, requests[1], count);
    const a2 = await cpuPerRequest(service.app, requests[0], count);
    app.push((a1 + a2) / 2);
    bare.push((f1 + f2) / 2);
  }
  return {
    service: median(app),
    floor: median(bare),
    gap: median(app.map((a, i) => a - (bare[i] as number))),
    statements: { service: service.pool.statements(), floor: floor.pool.statements() },
    bytes,
  };
}

async function serviceSide(url: string, adminKey: string) {
  const config = loadConfig({
    DATABASE_URL: url,
    JAHIZ_ADMIN_KEY: adminKey,
    DB_POOL_MAX: '3',
    RATE_LIMIT_MAX: '1000000000',
    LOG_LEVEL: 'info',
  });
  const database = await openDatabase(config);
  await prepareDatabase(database, config, pino({ level: 'silent' }));
  const app = await buildApp({
    config,
    database,
    loggerInstance: pino(
      { level: 'info' },
      pino.destination({ dest: process.env.ABL_LOG ?? '/dev/null', sync: true }),
    ),
  });
  await app.ready();
  return { app, database, pool: replayable(database.pool) };
}

async function floorSide(url: string) {
  const pool = new pgModule.Pool({ connectionString: url, max: 3 });
  const app = await inProcessFloor(pool, BODY_LIMIT * 5);
  return { app, pool: replayable(pool) };
}

/** The service's own steps of one submit, alone, on the recorded request's inputs. */
async function submitSteps(database: DatabaseHandle, payload: string) {
  const body = JSON.parse(payload);
  const grid = await loadGrid(database.db, body.gridId);
  const validate = bodyValidator(NewAssessmentSchema);
  const member = { type: 'company' as const, hsCodes: ['091020'] };
  const fields = ['memberId', 'gridId', 'assessedOn', 'assessor', 'answers'];
  return {
    'body schema (ajv)': stepMicros(() => validate(body), 2000),
    'answers against the grid': stepMicros(
      () => [
        ...assessedOnErrors(body.assessedOn),
        ...validateAnswers(grid.definition, body.answers),
      ],
      2000,
    ),
    scoring: stepMicros(() => scoreAssessment(grid.definition, body.answers, member), 2000),
    'audit diff': stepMicros(() => diffChanges({}, body, fields), 2000),
  };
}

/** The service's own steps of one bulk request, alone: the rows' checks. */
function bulkSteps(payload: string) {
  const validate = bodyValidator(BulkRequestSchema);
  const body = JSON.parse(payload);
  return {
    'envelope schema (ajv)': stepMicros(() => validate(body), 200),
    'JSON.parse of the body (both pay it)': stepMicros(() => JSON.parse(payload), 200),
  };
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL is required (a seeded benchmark database)');
  const adminKey = `jz_bench_${randomBytes(16).toString('hex')}`;
  const service = await serviceSide(url, adminKey);
  const floor = await floorSide(url);
  const { rows } = await service.database.pool.query<{ id: string }>(
    `select id from members where status = 'active' order by id limit 3`,
  );
  const today = new Date().toISOString().slice(0, 10);
  const [submitApp, submitFloor, submitLive] = assessmentBodies(
    rows.map((r) => r.id),
    today,
  ) as [string, string, string];
  const headers = {
    authorization: `Bearer ${adminKey}`,
    'content-type': 'application/json',
  };
  const post = (path: string, payload: string): Request => ({
    method: 'POST',
    url: path,
    payload,
    headers,
  });
  const iceBase = 5_400_000_000_000 + (Date.now() % 1000) * 1_000_000;
  // Live first: the key cache and the limiter's window, so that the recorded request sends
  // only its own statements.
  await send(service.app, post('/v1/assessments', submitLive));
  await send(floor.app, post('/v1/assessments', submitLive));
  const a = await paired('a', service, floor, [
    post('/v1/assessments', submitApp),
    post('/v1/assessments', submitFloor),
  ]);
  const bulkApp = bulkBody(0, BULK_ROWS, iceBase);
  const e = await paired('e', service, floor, [
    post('/v1/members/bulk', bulkApp),
    post('/v1/members/bulk', bulkBody(1, BULK_ROWS, iceBase)),
  ]);
  const steps = { a: await submitSteps(service.database, submitApp), e: bulkSteps(bulkApp) };
  const fmt = (n: number) => n.toFixed(0);
  const lines = [
    '| scenario | service µs/req | floor µs/req | service − floor (paired) | statements replayed (service / floor) | bytes answered (service / floor) |',
    '|---|---:|---:|---:|---:|---:|',
    ...(
      [
        ['a', a],
        ['e', e],
      ] as const
    ).map(
      ([key, r]) =>
        `| ${key} | ${fmt(r.service)} | ${fmt(r.floor)} | ${fmt(r.gap)} | ${r.statements.service} / ${r.statements.floor} | ${r.bytes.join(' / ')} |`,
    ),
    '',
    '| step of the service, alone | µs per call |',
    '|---|---:|',
    ...Object.entries(steps.a).map(([name, us]) => `| a: ${name} | ${us.toFixed(1)} |`),
    ...Object.entries(steps.e).map(([name, us]) => `| e: ${name} | ${us.toFixed(1)} |`),
    '',
    `${ROUNDS} rounds of A-B-B-A batches (a 400, e 40 requests of ${BULK_ROWS} rows), ${CONCURRENCY} in flight; medians`,
  ];
  console.log(lines.join('\n'));
  await service.app.close();
  await service.database.close();
  await floor.app.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
