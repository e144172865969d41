#!/usr/bin/env node
// Runs the test suite with tap and ends with the line CI reads: "N passed, N failed".
// Embedded mode (default): builds one migrated PGlite data folder that each test file copies.
// Real PostgreSQL: set TEST_DATABASE_URL; each test file creates and drops its own database.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Parser } from 'tap-parser';

const args = process.argv.slice(2);
const env = { ...process.env };
let template;
if (!env.TEST_DATABASE_URL) {
  template = mkdtempSync(path.join(tmpdir(), 'jahiz-template-'));
  const built = spawnSync(
    process.execPath,
    ['--import=tsx', 'test/helpers/build-template.ts', template],
    {
      stdio: 'inherit',
      env,
    },
  );
  if (built.status !== 0) {
    console.error('could not build the embedded database template');
    process.exit(1);
  }
  env.JAHIZ_TEST_TEMPLATE = template;
}
console.log(
  `# database: ${env.TEST_DATABASE_URL ? 'PostgreSQL (TEST_DATABASE_URL)' : 'embedded PGlite'}`,
);

const tap = spawn(
  process.execPath,
  ['node_modules/tap/dist/esm/run.mjs', '--reporter=tap', ...args],
  {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const parser = new Parser();
watch(parser, []);
tap.stdout.pipe(parser);

/** Each test file's own run time as tap reports it, for the slowest-files list. */
const fileSeconds = new Map();
function timeFile(child) {
  child.on('complete', (results) => {
    if (typeof results.time === 'number') fileSeconds.set(child.name, results.time / 1000);
  });
}

/** Counts leaf assertions: a subtest's own closing point only repeats what its children said. */
function watch(p, names) {
  let openSubtests = 0;
  p.on('child', (child) => {
    openSubtests += 1;
    if (names.length === 0) timeFile(child);
    watch(child, [...names, child.name]);
  });
  p.on('assert', (res) => {
    if (openSubtests > 0) {
      openSubtests -= 1;
      if (names.length === 0) {
        const seconds = fileSeconds.get(res.name);
        const time = seconds === undefined ? '' : ` (${seconds.toFixed(1)} s)`;
        console.log(`${res.ok ? 'ok    ' : 'FAILED'} ${res.name}${time}`);
      }
      return;
    }
    if (res.skip || res.todo) skipped += 1;
    else if (res.ok) passed += 1;
    else {
      failed += 1;
      failures.push({ name: [...names, res.name].join(' > '), diag: res.diag });
    }
  });
}

tap.on('close', (code) => {
  if (template) rmSync(template, { recursive: true, force: true });
  for (const f of failures) {
    console.log(`\nnot ok: ${f.name}`);
    if (f.diag) console.log(JSON.stringify(f.diag, null, 2).split('\n').slice(0, 40).join('\n'));
  }
  if (code !== 0 && failed === 0) failed = 1; // a file that crashed before asserting
  const slowest = [...fileSeconds].sort((a, b) => b[1] - a[1]).slice(0, 8);
  if (slowest.length > 0)
    console.log(`\nslowest files: ${slowest.map(([f, s]) => `${f} ${s.toFixed(0)} s`).join(', ')}`);
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(code ?? 1);
});
