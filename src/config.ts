import { Ajv } from 'ajv';
import { type Static, Type } from 'typebox';

/** Comma-separated origins (`https://app.example.org`), no paths; empty allows none. */
const ORIGIN_LIST = '^(https?://[^/,\\s]+(\\s*,\\s*https?://[^/,\\s]+)*)?$';

/** An operator-chosen admin key must be long and varied enough not to be guessed (docs/security.md). */
const ADMIN_KEY_MIN_LENGTH = 32;
const ADMIN_KEY_MIN_DISTINCT = 10;

/** Variables whose values are never repeated in an error message. */
const SECRETS = new Set(['JAHIZ_ADMIN_KEY']);

/** Environment variables the service reads, with their defaults (docs/operations.md → Configuration; the README lists them all). */
const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  JAHIZ_DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  // Only characters a Bearer token may carry; length and variety checked in adminKeyProblem.
  JAHIZ_ADMIN_KEY: Type.Optional(
    Type.String({
      minLength: ADMIN_KEY_MIN_LENGTH,
      maxLength: 200,
      pattern: '^[A-Za-z0-9._~+/=-]*$',
    }),
  ),
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
  EVENTS_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 36500, default: 90 }),
  WEBHOOK_WORKER: Type.Boolean({ default: true }),
  WEBHOOK_POLL_MS: Type.Integer({ minimum: 10, default: 1000 }),
  WEBHOOK_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 100, default: 4 }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120000, default: 10000 }),
  WEBHOOK_RETRY_BASE_MS: Type.Integer({ minimum: 1, default: 5000 }),
  WEBHOOK_ALLOW_INSECURE_URLS: Type.Boolean({ default: false }),
  OIDC_ISSUER: Type.Optional(Type.String({ pattern: '^https?://[^\\s?#]+$', maxLength: 500 })),
  OIDC_AUDIENCE: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  OIDC_ROLE_CLAIM: Type.String({ minLength: 1, maxLength: 200, default: 'jahiz_role' }),
  OIDC_PARTNER_CLAIM: Type.String({ minLength: 1, maxLength: 200, default: 'jahiz_partner' }),
  OIDC_CLOCK_TOLERANCE_S: Type.Integer({ minimum: 0, maximum: 300, default: 30 }),
  OIDC_JWKS_COOLDOWN_MS: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 30_000 }),
  REPORT_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 100, default: 2 }),
  REPORT_QUEUE_LENGTH: Type.Integer({ minimum: 0, maximum: 1000, default: 8 }),
  REPORT_QUEUE_WAIT_MS: Type.Integer({ minimum: 0, default: 20000 }),
  AUTH_FAILURE_LIMIT: Type.Integer({ minimum: 0, default: 20 }),
  AUTH_FAILURE_WINDOW_MS: Type.Integer({ minimum: 1000, default: 60000 }),
  TRUST_PROXY: Type.String({
    pattern: '^([0-9a-fA-F.:/, ]*[.:][0-9a-fA-F.:/, ]*)?$|^true$',
    default: '',
  }),
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
  /** Failed authentications per client address per window; beyond, 429. 0 disables. */
  authFailureLimit: number;
  authFailureWindowMs: number;
  /**
   * Proxies whose `X-Forwarded-For` names the client (Fastify's trustProxy): false, true (any),
   * or addresses and CIDR blocks.
   */
  trustProxy: boolean | string;
  /** Days the change feed keeps an event; older ones are purged (docs/events-and-webhooks.md). */
  eventsRetentionDays: number;
  webhooks: {
    /** Whether this instance delivers webhooks (and purges old events) while it listens. */
    worker: boolean;
    /** How often an idle worker looks for due deliveries. */
    pollMs: number;
    /** Deliveries one instance sends at a time. */
    concurrency: number;
    /** The longest one delivery may take, connection and answer included. */
    timeoutMs: number;
    /** Scales the retry schedule (5000: about 3 days over 11 attempts). */
    retryBaseMs: number;
    /** Development and tests only: also http, loopback and private addresses. */
    allowInsecureUrls: boolean;
  };
  /** People's access tokens (docs/people.md); undefined: only API keys are accepted. */
  oidc: OidcConfig | undefined;
  /** Reports and exports computed at once, how many may wait, and how long (docs/kpis.md). */
  reports: { concurrency: number; queueLength: number; queueWaitMs: number };
}

export interface OidcConfig {
  /** The one issuer trusted, exactly as its tokens' `iss` and its discovery document say. */
  issuer: string;
  /** The `aud` an access token must name: this API. */
  audience: string;
  roleClaim: string;
  partnerClaim: string;
  clockToleranceS: number;
  /** Least time between two fetches of the keys caused by tokens naming an unknown `kid`. */
  jwksCooldownMs: number;
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
        const value = env[name];
        const got = SECRETS.has(name)
          ? `a value of length ${value?.length}`
          : JSON.stringify(value);
        problems.set(name, `${name} ${e.message ?? 'is invalid'} (got ${got})`);
      }
    }
    throw new ConfigError(`invalid configuration: ${[...problems.values()].join('; ')}`);
  }
  const e = raw as Env;
  const oidc = oidcConfig(e);
  const keyProblem = e.JAHIZ_ADMIN_KEY && adminKeyProblem(e.JAHIZ_ADMIN_KEY);
  if (keyProblem) throw new ConfigError(`invalid configuration: JAHIZ_ADMIN_KEY ${keyProblem}`);
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
    authFailureLimit: e.AUTH_FAILURE_LIMIT,
    authFailureWindowMs: e.AUTH_FAILURE_WINDOW_MS,
    trustProxy: trustProxyOf(e.TRUST_PROXY),
    eventsRetentionDays: e.EVENTS_RETENTION_DAYS,
    webhooks: {
      worker: e.WEBHOOK_WORKER,
      pollMs: e.WEBHOOK_POLL_MS,
      concurrency: e.WEBHOOK_CONCURRENCY,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      allowInsecureUrls: e.WEBHOOK_ALLOW_INSECURE_URLS,
    },
    oidc,
    reports: {
      concurrency: e.REPORT_CONCURRENCY,
      queueLength: e.REPORT_QUEUE_LENGTH,
      queueWaitMs: e.REPORT_QUEUE_WAIT_MS,
    },
  };
}

/** Loopback hosts, on which an identity provider may speak plain http (development, tests). */
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Whether keys may be fetched from the URL: https, or http on a loopback address. */
export function isTrustedIdpUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

function oidcConfig(e: Env): OidcConfig | undefined {
  if (e.OIDC_ISSUER === undefined && e.OIDC_AUDIENCE === undefined) return undefined;
  if (e.OIDC_ISSUER === undefined || e.OIDC_AUDIENCE === undefined) {
    throw new ConfigError('invalid configuration: OIDC_ISSUER and OIDC_AUDIENCE go together');
  }
  if (!URL.canParse(e.OIDC_ISSUER) || !isTrustedIdpUrl(new URL(e.OIDC_ISSUER))) {
    throw new ConfigError(
      `invalid configuration: OIDC_ISSUER must be an https URL (http only on a loopback address) (got ${JSON.stringify(e.OIDC_ISSUER)})`,
    );
  }
  return {
    issuer: e.OIDC_ISSUER,
    audience: e.OIDC_AUDIENCE,
    roleClaim: e.OIDC_ROLE_CLAIM,
    partnerClaim: e.OIDC_PARTNER_CLAIM,
    clockToleranceS: e.OIDC_CLOCK_TOLERANCE_S,
    jwksCooldownMs: e.OIDC_JWKS_COOLDOWN_MS,
  };
}

function trustProxyOf(value: string): boolean | string {
  if (value === '') return false;
  return value === 'true' ? true : value;
}

/**
 * Why a key is too weak to be an admin key, or undefined. Never quotes the key: the message is
 * printed.
 */
function adminKeyProblem(key: string): string | undefined {
  const distinct = new Set(key).size;
  if (distinct < ADMIN_KEY_MIN_DISTINCT) {
    return (
      `has ${distinct} distinct characters; at least ${ADMIN_KEY_MIN_DISTINCT} are required ` +
      '(use a random key, e.g. `openssl rand -base64 32`)'
    );
  }
  return undefined;
}

/** Names of every variable the service reads (compose and docs are tested against it). */
export const configVariableNames = Object.keys(EnvSchema.properties);
