/**
 * Contract fuzzing: every operation of openapi.yaml receives seeded generated requests, valid and
 * hostile. Whatever comes in, the answer is never a 5xx, every error is a problem document, a
 * schema-valid request is never refused by schema validation, and a schema-invalid one is never
 * accepted. Reproduce a run with FUZZ_SEED (and FUZZ_RUNS, FUZZ_OP=<operationId>).
 */
import { appendFileSync } from 'node:fs';
import t from 'tap';
import { ADMIN_KEY, startTestApp } from '../helpers/app.js';
import { conformanceOf } from './conformance.js';
import { send, violations } from './exchange.js';
import { fuzzCases, type Kind } from './generate.js';
import { loadOperations } from './openapi.js';
import { buildPools, buildWorld } from './world.js';

const seed = Number(process.env.FUZZ_SEED ?? 20250611);
const runs = Number(process.env.FUZZ_RUNS ?? 100);
const only = process.env.FUZZ_OP;
const MAX_REPORTED = 5;
/** A file to append every violation to (JSON lines), for investigating a failing run. */
const reportFile = process.env.FUZZ_REPORT;

t.test(`contract fuzzing of every operation (seed ${seed}, ${runs} runs each)`, async (t) => {
  t.comment(`fuzz seed ${seed}, ${runs} runs per operation (FUZZ_SEED, FUZZ_RUNS, FUZZ_OP)`);
  const app = await startTestApp(t, { RATE_LIMIT_MAX: '0' });
  const operations = loadOperations().filter((op) => !only || op.id === only);
  const world = await buildWorld(app.api);
  const pools = await buildPools(app.api, operations, world);
  const keys = { admin: ADMIN_KEY, partner: await app.keyFor('partner', 'ASMEX') };
  const byKind = new Map<Kind, { sent: number; validOk: number }>();
  let sent = 0;
  const started = Date.now();

  for (const [index, operation] of operations.entries()) {
    const conforms = conformanceOf(operation);
    const failures: unknown[] = [];
    let validCases = 0;
    for (const c of fuzzCases(operation, pools, seed + index, runs)) {
      const exchange = await send(app, operation, c, keys, conforms);
      sent += 1;
      const tally = byKind.get(c.kind) ?? { sent: 0, validOk: 0 };
      tally.sent += 1;
      if (exchange.schemaValid) validCases += 1;
      if (exchange.schemaValid && exchange.response.statusCode < 300) tally.validOk += 1;
      byKind.set(c.kind, tally);
      const found = violations(exchange);
      if (found.length === 0) continue;
      const failure = {
        operation: operation.id,
        found,
        kind: c.kind,
        key: c.key,
        url: exchange.url.slice(0, 300),
        body: (c.raw?.text ?? JSON.stringify(c.body) ?? '').slice(0, 400),
        status: exchange.response.statusCode,
        response: exchange.response.body.slice(0, 400),
        ...(exchange.response.statusCode >= 500 ? { logged: lastError(app.logs) } : {}),
      };
      if (reportFile) appendFileSync(reportFile, `${JSON.stringify(failure)}\n`);
      if (failures.length < MAX_REPORTED) failures.push(failure);
    }
    t.same(
      failures,
      [],
      `${operation.id}: ${runs} cases (${validCases} schema-valid) keep the contract`,
    );
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  t.comment(`${sent} requests in ${seconds} s; by kind (sent / schema-valid answered 2xx):`);
  for (const [kind, tally] of byKind) t.comment(`  ${kind}: ${tally.sent} / ${tally.validOk}`);
  t.ok(operations.length >= (only ? 1 : 40), `${operations.length} operations walked`);
  if (!only && runs >= 40) t.ok(sent >= 2000, `thousands of requests (${sent})`);
  const validOk = byKind.get('valid')?.validOk ?? 0;
  t.ok(validOk > 0, `generated valid requests reach the handlers (${validOk} answered 2xx)`);
});

/** The message and top of the stack of the last error the app logged. */
function lastError(logs: Record<string, unknown>[]): string | undefined {
  const line = logs.findLast((l) => Number(l.level) >= 50);
  const err = line?.err as { message?: string; stack?: string } | undefined;
  return err?.stack?.split('\n').slice(0, 6).join(' | ') ?? err?.message;
}
