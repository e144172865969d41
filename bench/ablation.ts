// Per-request CPU of each layer of the service, for the simple reads (b1), (c) and the writes
// (a) submit and (e) bulk: the app is built in-process on the benchmark database, once whole and
// once with each layer removed, next to the floor's routes (bench/floor.ts statements, plain pg);
// every variant answers the same requests through app.inject, interleaved in rounds, and the
// process's CPU time (process.cpuUsage, user + system) per request is reported as the median of
// the rounds, with the SQL statements each request sent. The inject client, pg's socket work and
// the result parsing are in every figure, the floor's included, so differences between variants
// are what a layer costs; see bench/ablation.md.
//
//   BENCH_DATABASE_URL=postgres://… npx tsx bench/ablation.ts [--scenarios c,b1|a,e]
//     [--rounds 7] [--requests 400] [--bulk-rows 100]
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import cors from '@fastify/cors';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import pgModule from 'pg';
import pino from 'pino';
import { BODY_LIMIT, storedCredentials } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { registerCreatedLocation } from '../src/http/created.js';
import { registerConditionalGet, registerIfMatch } from '../src/http/etag.js';
import { registerMergePatch } from '../src/http/merge-patch.js';
import { type Principal, registerAuth } from '../src/http/plugins/auth.js';
import { answerFrameworkError, registerErrorHandling } from '../src/http/plugins/errors.js';
import { registerIdempotency } from '../src/http/plugins/idempotency.js';
import { registerMetrics } from '../src/http/plugins/metrics.js';
import { registerOpenApi } from '../src/http/plugins/openapi.js';
import { registerRateLimit } from '../src/http/plugins/rate-limit.js';
import { generateRequestId } from '../src/http/plugins/request-id.js';
import { RequestLog } from '../src/http/plugins/request-log.js';
import { registerSecurity } from '../src/http/plugins/security.js';
import { buildSerializer } from '../src/http/plugins/serialization.js';
import { registerBodyDepthLimit, validatorCompiler } from '../src/http/plugins/validation.js';
import { registerComponents } from '../src/http/schemas/components.js';
import { loggerOptions } from '../src/logger.js';
import { apiKeyRoutes } from '../src/modules/api-keys/routes.js';
import { assessmentRoutes } from '../src/modules/assessments/routes.js';
import { memberRoutes } from '../src/modules/members/routes.js';
import { partnerRoutes } from '../src/modules/partners/routes.js';
import { prepareDatabase } from '../src/startup.js';
import { inProcessFloor } from './floor.js';
import { median } from './harness.js';
import { assessmentBodies, bulkBody } from './workload.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    requests: { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '8' },
    only: { type: 'string' },
    scenarios: { type: 'string', default: 'c,b1' },
    'bulk-rows': { type: 'string', default: '100' },
  },
});
const ROUNDS = Number(args.rounds);
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
/** Connections per variant: every variant holds its pool for the whole run. */
const POOL_MAX = 3;

const LAYERS = [
  'rate-limit',
  'log-lines',
  'logger',
  'load-shedding',
  'auth',
  'metrics',
  'security-headers',
  'cors',
  'request-id',
  'idempotency-hooks',
  'body-depth-hook',
  'openapi',
  'response-schema',
] as const;
type Layer = (typeof LAYERS)[number];

/** The app as src/app.ts builds it, minus the layers named (member and key routes suffice). */
async function buildVariant(config: Config, database: DatabaseHandle, without: Set<Layer>) {
  const cfg: Config = {
    ...config,
    rateLimitMax: without.has('rate-limit') ? 0 : config.rateLimitMax,
    maxEventLoopDelayMs: without.has('load-shedding') ? 0 : config.maxEventLoopDelayMs,
  };
  const logger = without.has('logger')
    ? { logger: false }
    : {
        loggerInstance: pino(
          loggerOptions(without.has('log-lines') ? 'silent' : 'info'),
          pino.destination({ dest: '/dev/null', sync: true }),
        ),
      };
  const app = Fastify({
    ...logger,
    ...(without.has('request-id') ? {} : { genReqId: generateRequestId }),
    logController: new RequestLog(),
    bodyLimit: BODY_LIMIT,
    requestTimeout: cfg.requestTimeoutMs,
    connectionTimeout: cfg.requestTimeoutMs,
    return503OnClosing: true,
    frameworkErrors: answerFrameworkError,
    schemaController: { compilersFactory: { buildSerializer } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;
  app.decorate('config', cfg);
  app.decorate('database', database);
  app.decorate('db', database.db);
  app.setValidatorCompiler(validatorCompiler);
  app.removeContentTypeParser('text/plain');
  if (without.has('response-schema')) {
    app.addHook('onRoute', (route: RouteOptions) => {
      if (route.schema) delete route.schema.response;
    });
  }
  registerMergePatch(app);
  registerErrorHandling(app);
  await registerSecurity(
    filtered(app, {
      dropHook: (name) => without.has('security-headers') && name === 'onRequest',
      dropPlugin: (plugin) => without.has('cors') && plugin === cors,
    }),
  );
  if (without.has('auth')) {
    // What the floor does instead: nothing; the routes still need a principal.
    const id = randomBytes(16).toString('hex');
    const principal: Principal = {
      kind: 'key',
      id,
      subject: id,
      role: 'admin',
      partnerCode: null,
    };
    app.decorateRequest('principal', null as unknown as Principal);
    app.addHook('onRequest', (request, _reply, done) => {
      request.principal = principal;
      done();
    });
  } else {
    registerAuth(app, storedCredentials);
  }
  if (!without.has('body-depth-hook')) registerBodyDepthLimit(app);
  await registerRateLimit(app);
  if (!without.has('idempotency-hooks')) registerIdempotency(app);
  else app.decorateRequest('idempotencyClaim', null);
  registerConditionalGet(app);
  registerIfMatch(app);
  registerCreatedLocation(app);
  registerComponents(app);
  if (!without.has('openapi')) await registerOpenApi(app);
  if (!without.has('metrics')) await registerMetrics(app);
  await app.register(partnerRoutes);
  await app.register(apiKeyRoutes);
  await app.register(memberRoutes);
  await app.register(assessmentRoutes);
  await app.ready();
  return app;
}

/** The app seen by one register call, minus the hooks and plugins the filter drops. */
function filtered(
  app: FastifyInstance,
  filter: { dropHook: (name: string) => boolean; dropPlugin: (plugin: unknown) => boolean },
): FastifyInstance {
  return new Proxy(app, {
    get(target, property, receiver) {
      if (property === 'addHook') {
        return (name: string, ...rest: unknown[]) =>
          filter.dropHook(name)
            ? receiver
            : (target.addHook as (...a: unknown[]) => unknown)(name, ...rest);
      }
      if (property === 'register') {
        return (plugin: unknown, ...rest: unknown[]) =>
          filter.dropPlugin(plugin)
            ? receiver
            : (target.register as (...a: unknown[]) => unknown)(plugin, ...rest);
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** bench/floor.ts's routes, on a pool of the same size. */
function buildFloor(url: string) {
  return inProcessFloor(new pgModule.Pool({ connectionString: url, max: POOL_MAX }), BODY_LIMIT);
}

/** Statements sent through pg by every client of this process (kysely's included). */
let statementsSent = 0;
const sendQuery = pgModule.Client.prototype.query as (...args: unknown[]) => unknown;
pgModule.Client.prototype.query = function countedQuery(this: unknown, ...args: unknown[]) {
  statementsSent += 1;
  return sendQuery.apply(this, args);
} as typeof pgModule.Client.prototype.query;

/** Requests sent so far by the whole run: numbers each bulk row uniquely. */
let sent = 0;

/** One request of a scenario: the n-th of the run. */
interface Scenario {
  request: (n: number) => { method: 'GET' | 'POST'; url: string; payload?: string };
  /** Requests per batch. */
  size: number;
}

/** CPU µs and statements per request of `count` requests, `CONCURRENCY` in flight. */
async function cpuPerRequest(
  app: FastifyInstance,
  scenario: Scenario,
  headers: Record<string, string>,
  count: number,
) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const request = scenario.request(sent);
      next += 1;
      sent += 1;
      const response = await app.inject({
        ...request,
        headers: request.payload ? { ...headers, 'content-type': 'application/json' } : headers,
      });
      if (response.statusCode >= 300)
        throw new Error(`${request.url}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    }
  };
  const statementsBefore = statementsSent;
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(before);
  return {
    cpu: (used.user + used.system) / count,
    statements: (statementsSent - statementsBefore) / count,
  };
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL is required (a seeded benchmark database)');
  const adminKey = `jz_bench_${randomBytes(16).toString('hex')}`;
  const config = loadConfig({
    DATABASE_URL: url,
    JAHIZ_ADMIN_KEY: adminKey,
    DB_POOL_MAX: String(POOL_MAX),
    // As bench/run.ts: the limiter counts, but never refuses.
    RATE_LIMIT_MAX: '1000000000',
    LOG_LEVEL: 'info',
  });
  const database = await openDatabase(config);
  await prepareDatabase(database, config, pino({ level: 'silent' }));
  const scenarios = await pickScenarios(database.pool);
  const headers = { authorization: `Bearer ${adminKey}` };

  const only = args.only?.split(',') ?? null;
  const variants: { name: string; app: FastifyInstance; close: () => Promise<unknown> }[] = [];
  const add = async (name: string, without: Layer[]) => {
    if (only && !only.includes(name) && name !== 'app' && name !== 'floor') return;
    // Its own database handle per variant: the key cache and the limiter's buckets are per app.
    const own = await openDatabase(config);
    const app = await buildVariant(config, own, new Set(without));
    variants.push({
      name,
      app,
      close: async () => {
        await app.close();
        await own.close();
      },
    });
  };
  await add('app', []);
  for (const layer of LAYERS) await add(`- ${layer}`, [layer]);
  await add('- all of the above', [...LAYERS]);
  const floorApp = await buildFloor(url);
  variants.push({ name: 'floor', app: floorApp, close: () => floorApp.close() });

  // under-pressure reads a sampling interval without a sample (the event loop was blocked
  // building the variants) as an infinite delay and sheds the first requests: let it sample.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  for (const v of variants) {
    // Warm-up: JIT, pools, key cache, the limiter's bucket.
    for (const scenario of Object.values(scenarios))
      await cpuPerRequest(v.app, scenario, headers, scenario.size * 2);
  }
  const base = variants[0];
  if (!base) throw new Error('unreachable');
  // Each variant is measured against the whole app in A-B-B-A batches, so that the load of the
  // shared machine and the heap's state weigh on both alike; a round's figure is the difference.
  const results = new Map<string, Map<string, Paired>>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const v of variants.slice(1)) {
      const r = results.get(v.name) ?? new Map<string, Paired>();
      results.set(v.name, r);
      for (const [key, scenario] of Object.entries(scenarios)) {
        const run = (app: FastifyInstance) => cpuPerRequest(app, scenario, headers, scenario.size);
        const a1 = await run(base.app);
        const b1 = await run(v.app);
        const b2 = await run(v.app);
        const a2 = await run(base.app);
        const p = r.get(key) ?? { own: [], saved: [], statements: [], baseStatements: [] };
        r.set(key, p);
        p.own.push((b1.cpu + b2.cpu) / 2);
        p.saved.push((a1.cpu + a2.cpu) / 2 - (b1.cpu + b2.cpu) / 2);
        p.statements.push((b1.statements + b2.statements) / 2);
        p.baseStatements.push((a1.statements + a2.statements) / 2);
      }
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
  }
  console.log(table(results, Object.keys(scenarios)));
  console.log(
    `\n${ROUNDS} rounds of A-B-B-A batches (${Object.entries(scenarios)
      .map(([key, s]) => `${key} ${s.size}`)
      .join(
        ', ',
      )} requests), ${CONCURRENCY} in flight; medians; bulk requests of ${BULK_ROWS} new rows`,
  );
  for (const v of variants) await v.close();
  await database.close();
}

/** One variant's paired figures in one scenario, a value per round. */
interface Paired {
  own: number[];
  saved: number[];
  statements: number[];
  baseStatements: number[];
}

const BULK_ROWS = Number(args['bulk-rows']);

/** The scenarios asked for, on members of the seeded database. */
async function pickScenarios(pool: pgModule.Pool): Promise<Record<string, Scenario>> {
  const ids = async (where: string) =>
    (
      await pool.query<{ id: string }>(`select id from members ${where} order by id limit 500`)
    ).rows.map((r) => r.id);
  const any = await ids('');
  const active = await ids(`where status = 'active'`);
  const submits = assessmentBodies(active, new Date().toISOString().slice(0, 10));
  const iceBase = 7_200_000_000_000 + (Date.now() % 1000) * 1_000_000;
  const all: Record<string, Scenario> = {
    c: {
      size: REQUESTS,
      request: (n) => ({ method: 'GET', url: `/v1/members/${any[n % any.length]}` }),
    },
    b1: {
      size: Math.round(REQUESTS / 2),
      request: () => ({ method: 'GET', url: '/v1/members?partner=FENIP&region=MA-09&limit=20' }),
    },
    a: {
      size: Math.round(REQUESTS / 2),
      request: (n) => ({
        method: 'POST',
        url: '/v1/assessments',
        payload: submits[n % submits.length],
      }),
    },
    e: {
      size: Math.max(CONCURRENCY, Math.round(REQUESTS / BULK_ROWS)),
      request: (n) => ({
        method: 'POST',
        url: '/v1/members/bulk',
        payload: bulkBody(n, BULK_ROWS, iceBase),
      }),
    },
  };
  return Object.fromEntries(args.scenarios.split(',').map((key) => [key, all[key] as Scenario]));
}

/** Per scenario: µs/request, saved µs (min…max), share of the app − floor gap, statements. */
function table(results: Map<string, Map<string, Paired>>, keys: string[]) {
  const gap = Object.fromEntries(
    keys.map((key) => [key, median(results.get('floor')?.get(key)?.saved ?? [])]),
  );
  const fmt = (n: number) => n.toFixed(0);
  const cell = (p: Paired, key: string) => {
    const saved = median(p.saved);
    return `${fmt(median(p.own))} | ${fmt(saved)} (${fmt(Math.min(...p.saved))}…${fmt(Math.max(...p.saved))}) | ${Math.round((100 * saved) / (gap[key] ?? 1))} % | ${median(p.statements).toFixed(1)}`;
  };
  const head = keys.map(
    (k) => `${k} µs/req | ${k} saved µs (min…max) | ${k} share of gap | ${k} statements`,
  );
  const lines = [
    `| removed | ${head.join(' | ')} |`,
    `|---|${keys.map(() => '---:|---:|---:|---:').join('|')}|`,
  ];
  for (const [name, r] of results)
    lines.push(`| ${name} | ${keys.map((k) => cell(r.get(k) as Paired, k)).join(' | ')} |`);
  const whole = results.values().next().value as Map<string, Paired>;
  lines.push(
    `\napp − floor (paired): ${keys.map((k) => `${k} ${fmt(gap[k] ?? 0)} µs`).join(', ')} per request; the whole app sent ${keys.map((k) => `${k} ${median(whole.get(k)?.baseStatements ?? []).toFixed(1)}`).join(', ')} statements per request`,
  );
  return lines.join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
