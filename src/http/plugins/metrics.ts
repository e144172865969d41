import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Route label of requests that matched no route, so that scanners cannot blow up cardinality. */
const UNMATCHED = 'unmatched';

/**
 * Prometheus metrics at GET /metrics, for admin keys only (the route declares `allow`, like the
 * API): request counts by method, route template and status; latency; the database pool; and
 * the process defaults (memory, event-loop lag, GC). Hidden from the OpenAPI contract: it is
 * for operators, not partner systems. One registry per app, so test apps do not share counts.
 */
export async function registerMetrics(app: FastifyInstance) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  registerPoolGauges(app, registry);

  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED,
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get(
    '/metrics',
    { schema: { hide: true }, config: { allow: ['admin'] } },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
}

function registerPoolGauges(app: FastifyInstance, registry: Registry) {
  const pool = app.database.pool;
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge(
    'db_pool_connections_total',
    'Connections open in the database pool',
    () => pool.totalCount,
  );
  gauge('db_pool_connections_idle', 'Open connections not in use', () => pool.idleCount);
  gauge(
    'db_pool_requests_waiting',
    'Queries waiting for a free connection',
    () => pool.waitingCount,
  );
  gauge('db_pool_connections_max', 'Largest pool size allowed', () => pool.options.max ?? 0);
}
