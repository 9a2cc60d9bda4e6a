#!/usr/bin/env node
// Runs every example program (examples/*.ts, in name order) with tsx, one after the other, and
// exits non-zero if any of them does (each checks its own headline result).
//   pnpm examples                 all of them
//   pnpm examples perrinet2026    those whose file name contains the word
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .filter((f) => !only.length || only.some((w) => f.includes(w)))
  .sort();
const failed = [];
for (const f of files) {
  console.log(`\n=== examples/${f}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, f)], { stdio: 'inherit', cwd: here });
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  if (r.status === 0) console.log(`--- ${f}: ok (${s} s)`);
  else {
    console.log(`--- ${f}: FAILED (exit ${r.status ?? r.signal}, ${s} s)`);
    failed.push(f);
  }
}
console.log(`\n${files.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
