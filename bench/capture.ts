// Captures the SQL the service really issues for one request of each scenario: the service is
// built in-process on the benchmark database with every pg client's query() recorded. The
// floor's statements are checked against the capture, so that the floor stays honest when the
// service's queries change.
import type { FastifyInstance, InjectOptions } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { prepareDatabase } from '../src/startup.js';
import { FLOOR_SQL, upsertMembersSql } from './floor.js';
import { log, percentile } from './harness.js';
import { assessmentBodies, bulkBody } from './workload.js';

export interface Statement {
  text: string;
  values: unknown[];
}

/** Whitespace-insensitive statement text, to compare the service's with the floor's. */
const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

async function withRecordingApp<T>(
  env: NodeJS.ProcessEnv,
  work: (
    app: FastifyInstance,
    record: (run: () => Promise<unknown>) => Promise<Statement[]>,
  ) => Promise<T>,
) {
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  const database = await openDatabase(config);
  let log: Statement[] | null = null;
  database.pool.on('connect', (client: pg.PoolClient) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (
      ...args: unknown[]
    ) => {
      const [first, second] = args;
      const text = typeof first === 'string' ? first : (first as { text: string }).text;
      const values =
        (Array.isArray(second) ? second : (first as { values?: unknown[] }).values) ?? [];
      log?.push({ text: normalise(text), values });
      return original(...args);
    };
  });
  const app = await buildApp({ config, database });
  await prepareDatabase(database, config, app.log);
  const record = async (run: () => Promise<unknown>) => {
    log = [];
    await run();
    const seen = log;
    log = null;
    return seen;
  };
  try {
    return await work(app, record);
  } finally {
    await app.close();
    await database.close();
  }
}

/** Sends a request and fails loudly when it is not answered as expected. */
async function expectStatus(app: FastifyInstance, options: InjectOptions, status: number) {
  const response = await app.inject(options);
  if (response.statusCode !== status) {
    throw new Error(
      `${options.method} ${options.url}: ${response.statusCode} ${response.body.slice(0, 400)}`,
    );
  }
  return response;
}

/** The service's statements minus authentication, the rate-limit counter and transaction control. */
function businessStatements(statements: Statement[]) {
  return statements
    .map((s) => s.text)
    .filter((text) => !/^(begin|commit|rollback)$/i.test(text) && !isAuthOrCounter(text));
}

/** The API-key lookup and the rate-limit counter: the service's own statements, not the route's. */
const isAuthOrCounter = (text: string) =>
  text.startsWith('select "id", "role", "partner_code" from "api_keys"') ||
  text.startsWith('insert into rate_limit_buckets');

export interface Capture {
  statements: Record<string, Statement[]>;
  floorMatches: Record<string, boolean>;
  reportStatements: Statement[];
}

/** Records one request of each scenario on the service and checks the floor's statements. */
export async function captureSql(
  pgUrl: string,
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
            payload: JSON.parse(
              assessmentBodies([memberId], new Date().toISOString().slice(0, 10))[0] as string,
            ),
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
        FLOOR_SQL.events,
        FLOOR_SQL.auditEvents,
        FLOOR_SQL.findAssessment,
      ],
      e: [
        FLOOR_SQL.partners,
        FLOOR_SQL.byExternalRefs,
        FLOOR_SQL.iceHolders,
        upsertMembersSql(),
        FLOOR_SQL.auditEvents,
        FLOOR_SQL.events,
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
export async function rawReport(
  pgUrl: string,
  statements: Statement[],
  concurrency: number,
  secondsToRun: number,
) {
  const business = statements.filter((s) => !isAuthOrCounter(s.text));
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
  const at = (q: number) => Math.round(percentile(latencies, q) * 10) / 10;
  return {
    requests: latencies.length,
    rps: latencies.length / secondsToRun,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    statements: business.length,
  };
}
