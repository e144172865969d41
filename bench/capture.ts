// Captures the SQL the service really issues for one request of each scenario: the service is
// built in-process on the benchmark database with every pg client's query() recorded. The
// floor's statements are checked against the capture, so that the floor stays honest when the
// service's queries change.
import type { FastifyInstance, InjectOptions } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { prepareDatabase } from '../src/startup.js';

export interface Statement {
  text: string;
  values: unknown[];
}

/** Whitespace-insensitive statement text, to compare the service's with the floor's. */
export const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

export async function withRecordingApp<T>(
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
export async function expectStatus(app: FastifyInstance, options: InjectOptions, status: number) {
  const response = await app.inject(options);
  if (response.statusCode !== status) {
    throw new Error(
      `${options.method} ${options.url}: ${response.statusCode} ${response.body.slice(0, 400)}`,
    );
  }
  return response;
}
