import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type CountedHit, countHit, purgeIdleBuckets } from '../../db/stores/rate-limit.js';
import { HttpProblem } from '../problem.js';
import { runWhileListening } from './periodic.js';

const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Per-caller request limits (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS) on every /v1 route,
 * counted in PostgreSQL (src/db/stores/rate-limit.ts) so that all instances behind a load balancer share one budget per API
 * key or person. Registered after authentication: a caller is its API key or person
 * (src/http/principal.ts); a request without one (no /v1 route today) would be counted by client
 * address. Health, docs, OpenAPI and metrics are
 * not limited. Responses carry the IETF draft `RateLimit-*` headers; a refused one is a 429
 * problem with `Retry-After`.
 */
export async function registerRateLimit(app: FastifyInstance) {
  const { rateLimitMax: max, rateLimitWindowMs: timeWindow } = app.config;
  if (max <= 0 || timeWindow <= 0) return;
  await app.register(rateLimit, {
    max,
    timeWindow,
    store: postgresStore(app),
    keyGenerator: callerKey,
    allowList: (request) => !request.routeOptions.url?.startsWith('/v1'),
    enableDraftSpec: true,
    // A fault of the counter must not take the API down with it: the request goes on.
    skipOnError: true,
    errorResponseBuilder: (_request, context) => {
      const seconds = String(Math.max(1, Math.ceil(context.ttl / 1000)));
      return new HttpProblem({
        type: 'rate-limited',
        detail: `More than ${context.max} requests in the window; retry in ${seconds} s.`,
        headers: { 'retry-after': seconds },
      });
    },
  });
  runWhileListening(app, 'purge of idle rate-limit counters', PURGE_INTERVAL_MS, () =>
    purgeIdleBuckets(app.db, timeWindow),
  );
}

function callerKey(request: FastifyRequest): string {
  return request.principal
    ? `${request.principal.kind}:${request.principal.id}`
    : `ip:${request.ip}`;
}

/** How often an instance adds the requests it counted locally to the shared counters. */
const FLUSH_INTERVAL_MS = 1000;
/**
 * How close to its limit a caller is counted in the database on every request again: a tenth
 * of the limit, and never less than this (so small limits are always exact).
 */
const EXACT_ZONE_MIN = 50;

interface Bucket {
  windowMs: number;
  /** Start of the caller's window on the database's clock, as the database last answered. */
  started: number;
  /** The shared count the database last answered (this instance's flushed hits included). */
  shared: number;
  /** Requests counted here and not yet added to the database. */
  pending: number;
  /** Requests being added to the database right now: still counted until it answers. */
  inFlight: number;
}

/**
 * The plugin's store contract. A caller's first request of a window, and every request once it
 * is within a tenth of its limit, is counted by one atomic upsert (as all instances agree on
 * it). Far from the limit, requests are counted in memory and added to the shared counter once a
 * second: measured (bench/RESULTS.md), one write per request cut the throughput of a simple read
 * by more than half. The cost: instances see each other's hits up to a second late, so a caller
 * spread over several instances may pass its limit by what the others counted in the last
 * second, beyond the margin of a tenth; with one instance, counts stay exact.
 */
function postgresStore(app: FastifyInstance) {
  const { db, log } = app;
  const buckets = new Map<string, Bucket>();
  let clockOffsetMs = 0;
  const dbNow = () => Date.now() + clockOffsetMs;

  const remember = (key: string, windowMs: number, counted: CountedHit) => {
    clockOffsetMs = counted.now - Date.now();
    const bucket = buckets.get(key);
    if (!bucket || bucket.started !== counted.started) {
      buckets.set(key, {
        windowMs,
        started: counted.started,
        shared: counted.current,
        pending: 0,
        inFlight: 0,
      });
    } else {
      bucket.shared = Math.max(bucket.shared, counted.current);
    }
  };

  const flush = async () => {
    const now = dbNow();
    const writes: Promise<void>[] = [];
    for (const [key, bucket] of buckets) {
      // Hits of a window that has ended no longer matter to anybody.
      if (now >= bucket.started + bucket.windowMs) {
        buckets.delete(key);
        continue;
      }
      const hits = bucket.pending;
      if (hits === 0) continue;
      bucket.pending = 0;
      bucket.inFlight += hits;
      writes.push(
        countHit(db, key, bucket.windowMs, hits).then(
          (counted) => {
            bucket.inFlight -= hits;
            remember(key, bucket.windowMs, counted);
          },
          (error: Error) => {
            bucket.inFlight -= hits;
            bucket.pending += hits;
            log.warn({ err: error }, 'rate-limit counter unavailable; flush deferred');
          },
        ),
      );
    }
    await Promise.all(writes);
  };
  const timer = setInterval(() => void flush(), FLUSH_INTERVAL_MS).unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await flush();
  });

  return class PostgresRateLimitStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
      max: number,
    ) {
      const bucket = buckets.get(key);
      const now = dbNow();
      const exactZone = Math.max(EXACT_ZONE_MIN, Math.ceil(max / 10));
      if (
        bucket &&
        now < bucket.started + bucket.windowMs &&
        bucket.shared + bucket.inFlight + bucket.pending + 1 < max - exactZone
      ) {
        bucket.pending += 1;
        callback(null, {
          current: bucket.shared + bucket.inFlight + bucket.pending,
          ttl: bucket.started + bucket.windowMs - now,
        });
        return;
      }
      // This request and what was counted here meanwhile, in the database now.
      const hits = 1 + (bucket?.pending ?? 0);
      if (bucket) {
        bucket.pending = 0;
        bucket.inFlight += hits - 1;
      }
      countHit(db, key, timeWindow, hits).then(
        (counted) => {
          if (bucket) bucket.inFlight -= hits - 1;
          remember(key, timeWindow, counted);
          callback(null, { current: counted.current, ttl: counted.ttl });
        },
        (error: Error) => {
          if (bucket) {
            bucket.inFlight -= hits - 1;
            bucket.pending += hits - 1;
          }
          log.warn({ err: error }, 'rate-limit counter unavailable; request not limited');
          callback(error);
        },
      );
    }

    child() {
      return this;
    }
  };
}

/** Drops the rows of callers idle for more than a window, hourly. */
