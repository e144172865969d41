import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem } from '../problem.js';

/** Seconds a shed client is asked to wait. */
const RETRY_AFTER_SECONDS = '5';

/** How often the event-loop delay is sampled. */
const SAMPLE_INTERVAL_MS = 1000;

/**
 * Routes always answered under pressure: liveness (an orchestrator must not kill a busy but
 * healthy process) and metrics (the overload must stay observable). Readiness is shed like
 * the API, so that a load balancer moves traffic to other instances meanwhile.
 */
const NEVER_SHED = new Set(['/health/live', '/metrics']);

/**
 * Sheds load with 503 problems while the mean event-loop delay exceeds MAX_EVENT_LOOP_DELAY_MS
 * (sampled each second): a saturated process answers quickly instead of timing every client out.
 * Not before a whole sample has been taken after the app is ready: the samples before measure
 * the start-up's own work (compiling the schemas, migrating), and shed the first callers of a
 * process that is not loaded at all.
 */
export async function registerPressure(app: FastifyInstance) {
  const maxEventLoopDelay = app.config.maxEventLoopDelayMs;
  if (maxEventLoopDelay <= 0) return;
  let started = false;
  app.addHook('onReady', async () => {
    setTimeout(() => {
      started = true;
    }, 2 * SAMPLE_INTERVAL_MS).unref();
  });
  await app.register(underPressure, {
    maxEventLoopDelay,
    sampleInterval: SAMPLE_INTERVAL_MS,
    pressureHandler: async (request: FastifyRequest) => {
      if (!started || NEVER_SHED.has(request.routeOptions.url ?? '')) return;
      throw new HttpProblem({
        type: 'overloaded',
        detail: 'The service is overloaded; try again shortly.',
        headers: { 'retry-after': RETRY_AFTER_SECONDS },
      });
    },
  });
}
