// Writes bench/results.json and the readable bench/RESULTS.md (with the targets checked and the
// hand-written findings of bench/findings.md appended).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { GrowthPoint } from './growth.js';
import type { ScenarioResult } from './run.js';

const BENCH = new URL('.', import.meta.url).pathname;

export interface Results {
  machine: Record<string, unknown>;
  date: string;
  conditions: Record<string, unknown>;
  settings: Record<string, unknown>;
  seed: unknown;
  postgres: {
    coldStartMs: number;
    idleRssMb: number;
    rssAfterStartMb?: number;
    floorColdStartMs: number;
  };
  embedded: Record<string, unknown>;
  capture: Record<string, unknown>;
  diagnostics: Record<string, unknown>;
  scenarios: ScenarioResult[];
  /** From `--growth` (bench/growth.ts); a plain run keeps the last growth figures. */
  growth?: GrowthPoint[];
  growthConditions?: {
    loadAverageBefore: number[];
    loadAverageAfter: number[];
    sizes: unknown[];
    [more: string]: unknown;
  };
}

const fmt = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? '–' : x.toLocaleString('en', { maximumFractionDigits: digits });

function targets(r: Results) {
  const by = new Map(r.scenarios.map((s) => [s.key, s]));
  const lines: [string, string, boolean | null][] = [];
  for (const key of ['a', 'b1', 'b2', 'c']) {
    const s = by.get(key);
    if (s) lines.push([`(${key}) ratio app / floor ≥ 0.8`, fmt(s.ratio, 2), (s.ratio ?? 0) >= 0.8]);
  }
  const b1 = by.get('b1');
  const b2 = by.get('b2');
  if (b1 && b2)
    lines.push([
      '(b) deep page p50 ≤ 1.2 × first page p50',
      `${b2.p50Ms} ms vs ${b1.p50Ms} ms`,
      b2.p50Ms <= 1.2 * Math.max(1, b1.p50Ms),
    ]);
  const d = by.get('d') as (ScenarioResult & { rawP50Ms?: number }) | undefined;
  if (d?.rawP50Ms !== undefined) {
    lines.push([
      '(d) p50 ≤ 1.3 × raw SQL p50',
      `${d.p50Ms} ms vs ${d.rawP50Ms} ms`,
      d.p50Ms <= 1.3 * d.rawP50Ms,
    ]);
    lines.push(['(d) p50 < 200 ms', `${d.p50Ms} ms`, d.p50Ms < 200]);
    const unvacuumed = (d as { unvacuumedP50Ms?: number }).unvacuumedP50Ms;
    if (unvacuumed !== undefined)
      lines.push(['(d) p50 < 200 ms before the vacuum', `${unvacuumed} ms`, unvacuumed < 200]);
  }
  const e = by.get('e');
  if (e) lines.push(['(e) ≥ 10,000 rows/s', fmt(e.rowsPerSec, 0), (e.rowsPerSec ?? 0) >= 10_000]);
  const errors = r.scenarios.reduce((sum, s) => sum + s.errors + (s.floor?.errors ?? 0), 0);
  lines.push(['zero errors (service and floor)', String(errors), errors === 0]);
  lines.push([
    'idle RSS < 150 MB (PostgreSQL)',
    `${r.postgres.idleRssMb} MiB`,
    r.postgres.idleRssMb < 150,
  ]);
  return lines;
}

const GROWTH_SCENARIOS = ['b1', 'b2', 'c', 'd', 'g'];

/** The growth run as a table: p50 (p99) per size, and how much each 10× of data cost. */
function growthSection(r: Results) {
  if (!r.growth?.length || !r.growthConditions) return '';
  const sizes = [...new Set(r.growth.map((p) => p.members))].sort((a, b) => a - b);
  const at = (members: number, scenario: string) =>
    r.growth?.find((p) => p.members === members && p.scenario === scenario);
  const rows = sizes.map((members, i) => {
    const cells = GROWTH_SCENARIOS.map((scenario) => {
      const p = at(members, scenario);
      const before = i > 0 ? at(sizes[i - 1] as number, scenario) : undefined;
      const factor = p && before ? ` ×${fmt(p.p50Ms / Math.max(1, before.p50Ms), 1)}` : '';
      return p ? `${fmt(p.p50Ms, 0)} (${fmt(p.p99Ms, 0)})${factor}` : '–';
    });
    return `| ${members.toLocaleString('en')} | ${cells.join(' | ')} |`;
  });
  const c = r.growthConditions;
  return `
## Growth (\`npm run bench -- --growth\`)

p50 (p99) in ms at each size, and ×: the p50 against the size before (goal: ≤ 3 per 10× of data).
b1, b2, c: 20 connections, 10 s each; d, g: one request after another (3 to 20). Load average
before / after: ${JSON.stringify(c.loadAverageBefore)} / ${JSON.stringify(c.loadAverageAfter)}.
Plot: [growth.svg](growth.svg). Databases: ${(c.sizes as { members: number; databaseSize: string; seedSeconds: number }[]).map((z) => `${z.members.toLocaleString('en')} members ${z.databaseSize} (seeded in ${z.seedSeconds} s)`).join('; ')}.

| members | ${GROWTH_SCENARIOS.join(' | ')} |
|---|${GROWTH_SCENARIOS.map(() => '---').join('|')}|
${rows.join('\n')}
`;
}

/** `out`: a path prefix for `<out>.json` and `<out>.md` instead of bench/results.json, RESULTS.md. */
export function writeResults(out: string | null, fresh: Results) {
  const file = out ? `${out}.json` : `${BENCH}results.json`;
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Results) : null;
  const r: Results = {
    ...fresh,
    growth: fresh.growth ?? previous?.growth,
    growthConditions: fresh.growthConditions ?? previous?.growthConditions,
  };
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  const rows = r.scenarios.map((s) => {
    const extra =
      s.rowsPerSec !== undefined
        ? ` (${fmt(s.rowsPerSec, 0)} rows/s; floor ${fmt(s.floorRowsPerSec, 0)})`
        : '';
    return `| ${s.key} | ${s.name}${extra} | ${s.connections} | ${fmt(s.rps)} | ${fmt(s.p50Ms)} | ${fmt(s.p99Ms)} | ${s.errors} | ${fmt(s.floorRps)} | ${fmt(s.floor?.p50Ms ?? (s as { rawP50Ms?: number }).rawP50Ms ?? null)} | ${s.floor?.errors ?? '–'} | **${fmt(s.ratio, 2)}** | ${fmt(s.app.cpuMsPerRequest, 2)} | ${fmt(s.app.rssMb)} |`;
  });
  const checks = targets(r).map(
    ([what, value, ok]) =>
      `| ${what} | ${value} | ${ok === null ? '–' : ok ? 'met' : '**missed**'} |`,
  );
  const findings = existsSync(`${BENCH}findings.md`)
    ? readFileSync(`${BENCH}findings.md`, 'utf8')
    : '';
  const md = `# Benchmark results

Generated by \`npm run bench\` on ${r.date.slice(0, 16).replace('T', ' ')} UTC — ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}.
Load average (1, 5, 15 min) before / after the run: ${JSON.stringify(r.conditions.loadAverageBefore)} / ${JSON.stringify(r.conditions.loadAverageAfter)} (the run's own load included; app and floor runs are interleaved so that their ratio is fair). Whole run: ${r.conditions.totalSeconds} s.

Dataset: ${JSON.stringify(r.seed ?? 'reused')}. ${r.settings.members} members; filter FENIP / MA-09 matches ${r.settings.filteredMembers} (deep page = page ${r.settings.deepPage}).
Each run: autocannon in its own process, ${r.settings.seconds} s, fixed connections (column c). "floor" = the same SQL statements through plain \`pg\` in a bare Fastify route (bench/floor.ts); statement texts checked against the service's captured SQL: ${JSON.stringify(r.capture.floorMatches)}. For (d) the floor is the report's captured SQL replayed directly.
The service runs as built (\`node dist/src/server.js\`), default settings (LOG_LEVEL info, pool 10), rate limiter on as shipped (its PostgreSQL counter; see the findings) with its budget raised so that the single bench key is never refused. For (d) the floor columns are the raw SQL's.

| | scenario | c | req/s | p50 ms | p99 ms | errors | floor req/s | floor p50 | floor errors | ratio | CPU ms/req | RSS MiB |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Cold start to ready: PostgreSQL ${r.postgres.coldStartMs} ms (floor ${r.postgres.floorColdStartMs} ms); embedded ${fmt(r.embedded.coldStartMs as number)} ms. Idle RSS (75 s after ready, once V8 has returned what starting left behind; 2 s after ready in brackets): PostgreSQL ${r.postgres.idleRssMb} MiB (${fmt(r.postgres.rssAfterStartMb)}), embedded ${fmt(r.embedded.idleRssMb as number)} MiB (${fmt(r.embedded.rssAfterStartMb as number)}).
${Object.keys(r.diagnostics).length ? `\nRate limiter diagnostics: ${JSON.stringify(r.diagnostics)}\n` : ''}
## Targets

| target | measured | |
|---|---|---|
${checks.join('\n')}
${growthSection(r)}
${findings}`;
  writeFileSync(out ? `${out}.md` : `${BENCH}RESULTS.md`, md);
}

// `tsx bench/report.ts`: renders RESULTS.md again from results.json (e.g. after editing findings.md).
if (process.argv[1]?.endsWith('report.ts')) {
  writeResults(null, JSON.parse(readFileSync(`${BENCH}results.json`, 'utf8')) as Results);
}
