#!/usr/bin/env node
// Compares two folders of run directories (e.g. the output of scripts/reduced-reproductions.sh
// before and after a refactor): every run.json's metrics and every .npy array, byte for byte.
// Prints each difference and exits 1 if there is any. Timings, versions and paths are ignored.
//   node scripts/compare-runs.mjs <before> <after>
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: compare-runs.mjs <before> <after>');
  process.exit(2);
}
const walk = (dir) =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
let differences = 0;
let compared = 0;
const differ = (msg) => {
  differences++;
  console.log(`DIFF ${msg}`);
};
// timings differ from run to run: any key naming seconds or wall time is skipped, at any depth
const isTiming = (k) => /seconds|wall|elapsed|perSecond|trials\/s/i.test(k);
function compare(x, y, path) {
  if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x)) {
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (!isTiming(k)) compare(x[k], y[k], `${path}.${k}`);
    return;
  }
  const vx = JSON.stringify(x);
  const vy = JSON.stringify(y);
  if (vx !== vy) differ(`${path}: ${vx} → ${vy}`);
}
for (const file of walk(a)) {
  const rel = relative(a, file);
  const other = join(b, rel);
  if (!file.endsWith('run.json') && !file.endsWith('.npy')) continue;
  if (!existsSync(other)) {
    differ(`${rel}: missing in ${b}`);
    continue;
  }
  compared++;
  if (file.endsWith('.npy')) {
    if (!readFileSync(file).equals(readFileSync(other))) differ(`${rel}: arrays differ`);
    continue;
  }
  const ma = JSON.parse(readFileSync(file, 'utf8')).metrics ?? {};
  const mb = JSON.parse(readFileSync(other, 'utf8')).metrics ?? {};
  compare(ma, mb, `${rel} metrics`);
}
console.log(`${compared} files compared, ${differences} difference${differences === 1 ? '' : 's'}`);
process.exit(differences ? 1 : 0);
