// One autocannon run, in a process of its own so that the load generator's CPU is not the
// benchmark runner's: `tsx bench/load.ts <spec.json>`; prints the summary as one JSON line.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { bulkBody } from './workload.js';

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** GET: paths cycled through. */
  paths?: string[];
  /** POST: the path and pre-serialised bodies cycled through. */
  path?: string;
  bodies?: string[];
  /** POST /v1/members/bulk: rows per generated body (new members each time). */
  bulkRows?: number;
  /** First 13-digit ICE prefix of this run's bulk rows. */
  iceBase?: number;
  /** Seconds before a request counts as timed out (autocannon's default: 10). */
  timeoutSeconds?: number;
}

export interface LoadSummary {
  requests: number;
  ok: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  statuses: Record<string, number>;
  firstError: string | null;
}

async function main() {
  const spec = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as LoadSpec;
  let next = 0;
  const statuses: Record<string, number> = {};
  let firstError: string | null = null;
  const run = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    ...(spec.timeoutSeconds ? { timeout: spec.timeoutSeconds } : {}),
    requests: [
      {
        method: spec.method,
        headers: {
          ...spec.headers,
          ...(spec.method === 'POST' ? { 'content-type': 'application/json' } : {}),
        },
        setupRequest: (request: Record<string, unknown>) => {
          const n = next++;
          if (spec.paths) return { ...request, path: spec.paths[n % spec.paths.length] };
          if (spec.bulkRows)
            return {
              ...request,
              path: spec.path,
              body: bulkBody(n, spec.bulkRows, spec.iceBase ?? 9_000_000_000_000),
            };
          return { ...request, path: spec.path, body: spec.bodies?.[n % spec.bodies.length] };
        },
        onResponse: (status: number, body: string) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status >= 300 && firstError === null)
            firstError = `${status} ${String(body).slice(0, 300)}`;
        },
      },
    ],
  } as unknown as autocannon.Options);
  const result = await run;
  const ok = Object.entries(statuses)
    .filter(([status]) => status.startsWith('2'))
    .reduce((sum, [, count]) => sum + count, 0);
  const summary: LoadSummary = {
    requests: result.requests.total,
    ok,
    errors: result.errors + result.timeouts + result.non2xx,
    rps: ok / spec.seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: result.latency.average,
    statuses,
    firstError,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
