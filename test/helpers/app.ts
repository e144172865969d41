import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import type { Role } from '../../src/db/tables/api-keys.js';
import { loggerOptions } from '../../src/logger.js';
import { prepareDatabase } from '../../src/startup.js';

export const ADMIN_KEY = 'jz_test_admin_key_0123456789abcdef';

/** The subset of a tap Test the helpers need. */
interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  config: Config;
  /** Log lines the app wrote, parsed (JSON), for tests that inspect logging. */
  logs: Record<string, unknown>[];
  /** Sends a request with a key (the admin key unless told otherwise). */
  api(options: ApiRequest): Promise<LightMyRequestResponse>;
  /** Issues a key of the role (bound to the partner for role partner). */
  keyFor(role: Role, partnerCode?: string): Promise<string>;
}

interface ApiRequest {
  method: InjectOptions['method'];
  url: string;
  body?: unknown;
  /** The API key; null sends no Authorization header. */
  key?: string | null;
  headers?: Record<string, string>;
}

/**
 * A fresh app on a database of its own: a copy of the migrated template folder (embedded), or a
 * new database on TEST_DATABASE_URL's server that is dropped at teardown.
 */
export async function startTestApp(
  t: Teardown,
  env: Record<string, string> = {},
  /** Adds test-only routes or hooks before the app is ready. */
  extend?: (app: FastifyInstance) => void,
): Promise<TestApp> {
  const place = await provisionDatabase(t);
  // tap runs teardowns last registered first: the database goes after every app on it.
  t.teardown(() => place.drop());
  return openTestApp(t, { ...place.env, ...env }, extend);
}

/**
 * Stops a test app and starts it again on the same database with other variables: a restart,
 * as far as the database and the start-up are concerned.
 */
export async function restartTestApp(
  t: Teardown,
  previous: TestApp,
  env: Record<string, string> = {},
): Promise<TestApp> {
  await stopTestApp(previous);
  const place: Record<string, string> = previous.config.databaseUrl
    ? { DATABASE_URL: previous.config.databaseUrl }
    : { JAHIZ_DATA_DIR: previous.config.dataDir };
  return openTestApp(t, { ...place, ...env });
}

async function openTestApp(
  t: Teardown,
  env: Record<string, string>,
  extend?: (app: FastifyInstance) => void,
): Promise<TestApp> {
  const config = loadConfig({
    JAHIZ_ADMIN_KEY: ADMIN_KEY,
    LOG_LEVEL: 'info',
    // Load shedding follows the machine's load, not the request: off unless a test turns it on.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    // Tests send wrong keys on purpose; the failed-authentication limit is tested on its own.
    AUTH_FAILURE_LIMIT: '100000',
    ...env,
  });
  const database = await openDatabase(config);
  const logs: Record<string, unknown>[] = [];
  // The service's own logger options (its redaction included), writing into `logs`.
  const logger = pino(loggerOptions('info'), {
    write: (line: string) => logs.push(JSON.parse(line)),
  });
  const app = await buildApp({ config, database, loggerInstance: logger });
  extend?.(app);
  await prepareDatabase(database, config, app.log);
  await app.ready();
  t.teardown(() => stopTestApp(testApp));
  const api = (r: ApiRequest) =>
    app.inject({
      method: r.method,
      url: r.url,
      headers: {
        ...(r.key === null ? {} : { authorization: `Bearer ${r.key ?? ADMIN_KEY}` }),
        ...r.headers,
      },
      ...(r.body === undefined ? {} : { payload: r.body as InjectOptions['payload'] }),
    });
  const testApp: TestApp = {
    app,
    database,
    config,
    logs,
    api,
    async keyFor(role, partnerCode) {
      const res = await api({
        method: 'POST',
        url: '/v1/api-keys',
        body: { name: `test ${role}`, role, ...(partnerCode ? { partnerCode } : {}) },
      });
      if (res.statusCode !== 201) throw new Error(`key creation failed: ${res.body}`);
      return res.json().key as string;
    },
  };
  return testApp;
}

const stopped = new WeakSet<TestApp>();

/** Closes the app and its database once (teardown and restarts both call it). */
async function stopTestApp(testApp: TestApp) {
  if (stopped.has(testApp)) return;
  stopped.add(testApp);
  await testApp.app.close();
  await testApp.database.close();
}

async function provisionDatabase(t: Teardown) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `jahiz_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await adminQuery(serverUrl, `create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString() } as Record<string, string>,
      drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
    };
  }
  const folder = await mkdtemp(path.join(tmpdir(), 'jahiz-test-'));
  const template = process.env.JAHIZ_TEST_TEMPLATE;
  if (template)
    await cp(template, folder, { recursive: true, filter: (src) => !src.endsWith('jahiz.lock') });
  void t;
  return {
    env: { JAHIZ_DATA_DIR: folder },
    drop: () => rm(folder, { recursive: true, force: true }),
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
