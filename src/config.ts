import { Ajv } from 'ajv';
import { type Static, Type } from 'typebox';

/** Comma-separated origins (`https://app.example.org`), no paths; empty allows none. */
const ORIGIN_LIST = '^(https?://[^/,\\s]+(\\s*,\\s*https?://[^/,\\s]+)*)?$';

/** Environment variables the service reads, with their defaults (api.md → Operations). */
const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  JAHIZ_DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  JAHIZ_ADMIN_KEY: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
  }),
  DB_POOL_MAX: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  DB_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 15000 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 30000 }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 10000 }),
  JAHIZ_PROGRAMME_START: Type.String({ format: 'date', default: '2023-01-01' }),
  IATI_ACTIVITY_ID: Type.String({
    minLength: 1,
    maxLength: 200,
    default: 'XX-JAHIZ-EXPORT-READINESS',
  }),
  IATI_REPORTING_ORG_REF: Type.String({ minLength: 1, maxLength: 200, default: 'XX-JAHIZ' }),
  IATI_REPORTING_ORG_NAME: Type.String({ minLength: 1, maxLength: 500, default: 'ASMEX' }),
  IATI_TITLE: Type.String({
    minLength: 1,
    maxLength: 500,
    default: 'Export readiness programme ASMEX / SIPPO / GIZ',
  }),
  DB_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 5000 }),
  CORS_ORIGINS: Type.String({ pattern: ORIGIN_LIST, default: '' }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 0, default: 1000 }),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 0, default: 1000 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 0, default: 60000 }),
  REPORT_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 100, default: 2 }),
  REPORT_QUEUE_LENGTH: Type.Integer({ minimum: 0, maximum: 1000, default: 8 }),
  REPORT_QUEUE_WAIT_MS: Type.Integer({ minimum: 0, default: 20000 }),
});
type Env = Static<typeof EnvSchema>;

export interface Config {
  port: number;
  host: string;
  /** Real PostgreSQL when set; otherwise the embedded database lives in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  adminKey: string | undefined;
  logLevel: string;
  dbPoolMax: number;
  statementTimeoutMs: number;
  requestTimeoutMs: number;
  shutdownGraceMs: number;
  programmeStart: string;
  /** IATI export: the programme's activity identifier, publisher and title. */
  iati: { activityId: string; reportingOrgRef: string; reportingOrgName: string; title: string };
  /** How long a request waits for a free database connection before it is answered 503. */
  dbConnectTimeoutMs: number;
  /** Browser origins allowed to call the API (CORS); empty: none. */
  corsOrigins: string[];
  /** Mean event-loop delay above which requests are answered 503; 0 disables. */
  maxEventLoopDelayMs: number;
  /** Requests per window per API key (or client address); 0 disables. */
  rateLimitMax: number;
  rateLimitWindowMs: number;
  /** Reports and exports computed at once, how many may wait, and how long (docs/kpis.md). */
  reports: { concurrency: number; queueLength: number; queueWaitMs: number };
}

export class ConfigError extends Error {}

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true });
ajv.addFormat('date', /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
const validateEnv = ajv.compile<Env>(EnvSchema);

/** Reads and validates the configuration; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const name of Object.keys(EnvSchema.properties)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  if (!validateEnv(raw)) {
    const problems = new Map<string, string>();
    for (const e of validateEnv.errors ?? []) {
      const name = e.instancePath.slice(1);
      if (!problems.has(name)) {
        problems.set(
          name,
          `${name} ${e.message ?? 'is invalid'} (got ${JSON.stringify(env[name])})`,
        );
      }
    }
    throw new ConfigError(`invalid configuration: ${[...problems.values()].join('; ')}`);
  }
  const e = raw as Env;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.JAHIZ_DATA_DIR,
    adminKey: e.JAHIZ_ADMIN_KEY,
    logLevel: e.LOG_LEVEL,
    dbPoolMax: e.DB_POOL_MAX,
    statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    programmeStart: e.JAHIZ_PROGRAMME_START,
    iati: {
      activityId: e.IATI_ACTIVITY_ID,
      reportingOrgRef: e.IATI_REPORTING_ORG_REF,
      reportingOrgName: e.IATI_REPORTING_ORG_NAME,
      title: e.IATI_TITLE,
    },
    dbConnectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS,
    rateLimitMax: e.RATE_LIMIT_MAX,
    rateLimitWindowMs: e.RATE_LIMIT_WINDOW_MS,
    reports: {
      concurrency: e.REPORT_CONCURRENCY,
      queueLength: e.REPORT_QUEUE_LENGTH,
      queueWaitMs: e.REPORT_QUEUE_WAIT_MS,
    },
  };
}

/** Names of every variable the service reads (compose and docs are tested against it). */
export const configVariableNames = Object.keys(EnvSchema.properties);
