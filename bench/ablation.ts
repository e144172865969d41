// Per-request CPU of each layer of the service, for the simple reads (b1) and (c): the app is
// built in-process on the benchmark database, once whole and once with each layer removed, next
// to the floor's two routes (bench/floor.ts statements, plain pg); every variant answers the
// same requests through app.inject, interleaved in rounds, and the process's CPU time
// (process.cpuUsage, user + system) per request is reported as the median of the rounds.
// The inject client, pg's socket work and the result parsing are in every figure, the floor's
// included, so differences between variants are what a layer costs; see bench/ablation.md.
//
//   BENCH_DATABASE_URL=postgres://… npx tsx bench/ablation.ts [--rounds 7] [--requests 400]
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
import { registerBodyDepthLimit, validatorCompiler } from '../src/http/plugins/validation.js';
import { registerComponents } from '../src/http/schemas/components.js';
import { loggerOptions } from '../src/logger.js';
import { apiKeyRoutes } from '../src/modules/api-keys/routes.js';
import { assessmentRoutes } from '../src/modules/assessments/routes.js';
import { memberRoutes } from '../src/modules/members/routes.js';
import { partnerRoutes } from '../src/modules/partners/routes.js';
import { prepareDatabase } from '../src/startup.js';
import { registerReadRoutes } from './floor.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    requests: { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '8' },
    only: { type: 'string' },
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

/** bench/floor.ts's read routes, on a pool of the same size. */
async function buildFloor(url: string) {
  const pool = new pgModule.Pool({ connectionString: url, max: POOL_MAX });
  const app = Fastify({ logger: false });
  registerReadRoutes(app, (text, values) => pool.query(text, values));
  app.addHook('onClose', async () => pool.end());
  await app.ready();
  return app;
}

/** CPU µs per request of `count` requests, `CONCURRENCY` in flight. */
async function cpuPerRequest(
  app: FastifyInstance,
  urls: string[],
  headers: Record<string, string>,
  count: number,
) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const url = urls[next % urls.length] as string;
      next += 1;
      const response = await app.inject({ method: 'GET', url, headers });
      if (response.statusCode !== 200)
        throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

type Scenario = 'c' | 'b1';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

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
  const { rows } = await database.pool.query<{ id: string }>(
    `select id from members order by id limit 500`,
  );
  const scenarios = {
    c: rows.map((r) => `/v1/members/${r.id}`),
    b1: ['/v1/members?partner=FENIP&region=MA-09&limit=20'],
  };
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
    await cpuPerRequest(v.app, scenarios.c, headers, 1500);
    await cpuPerRequest(v.app, scenarios.b1, headers, 500);
  }
  const base = variants[0];
  if (!base) throw new Error('unreachable');
  // Each variant is measured against the whole app in A-B-B-A batches, so that the load of the
  // shared machine and the heap's state weigh on both alike; a round's figure is the difference.
  const sizes = { c: REQUESTS, b1: Math.round(REQUESTS / 2) };
  const results = new Map<string, Record<Scenario, { own: number[]; saved: number[] }>>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const v of variants.slice(1)) {
      let r = results.get(v.name);
      if (!r) {
        r = { c: { own: [], saved: [] }, b1: { own: [], saved: [] } };
        results.set(v.name, r);
      }
      for (const scenario of ['c', 'b1'] as const) {
        const run = (app: FastifyInstance) =>
          cpuPerRequest(app, scenarios[scenario], headers, sizes[scenario]);
        const a1 = await run(base.app);
        const b1 = await run(v.app);
        const b2 = await run(v.app);
        const a2 = await run(base.app);
        r[scenario].own.push((b1 + b2) / 2);
        r[scenario].saved.push((a1 + a2) / 2 - (b1 + b2) / 2);
      }
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
  }
  const floor = results.get('floor');
  if (!floor) throw new Error('unreachable');
  const gap = { c: median(floor.c.saved), b1: median(floor.b1.saved) };
  const fmt = (n: number) => n.toFixed(0);
  const cell = (r: { own: number[]; saved: number[] }, scenario: Scenario) => {
    const saved = median(r.saved);
    return `${fmt(median(r.own))} | ${fmt(saved)} (${fmt(Math.min(...r.saved))}…${fmt(Math.max(...r.saved))}) | ${Math.round((100 * saved) / gap[scenario])} %`;
  };
  const lines = [
    '| removed | c µs/req | c saved µs (min…max) | c share of gap | b1 µs/req | b1 saved µs (min…max) | b1 share of gap |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, r] of results)
    lines.push(`| ${name} | ${cell(r.c, 'c')} | ${cell(r.b1, 'b1')} |`);
  console.log(lines.join('\n'));
  console.log(
    `\napp − floor (paired): c ${fmt(gap.c)} µs, b1 ${fmt(gap.b1)} µs per request; ${ROUNDS} rounds of A-B-B-A batches of ${sizes.c} (c) / ${sizes.b1} (b1) requests, ${CONCURRENCY} in flight; medians`,
  );
  for (const v of variants) await v.close();
  await database.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
