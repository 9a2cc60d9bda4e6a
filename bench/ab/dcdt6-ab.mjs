/**
 * bench/ab/stm-ab.mjs with two packages swapped: "before" is a copy of a build of
 * packages/tensor/dist at packages/tensor/node_modules/.ab-dcdt5/ and of packages/ei-rnn/dist at
 * packages/ei-rnn/node_modules/.ab-dcdt5/ (the trainer glue), "after" the working tree's builds.
 * Rounds alternate; prints median and min CPU ms per epoch, wall ms and the digests.
 *
 *   node bench/ab/dcdt6-ab.mjs [--threads 2] [--epochs 20] [--rounds 5] [--before-tag .ab-dcdt5]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const opts = { threads: 2, epochs: 20, rounds: 5, 'before-tag': '.ab-dcdt5' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) opts[argv[i].replace(/^--/, '')] = argv[i] === '--before-tag' ? argv[i + 1] : Number(argv[i + 1]);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'stm-ab-'));
const hook = path.join(tmp, 'hook.mjs');
const targets = Object.fromEntries(
  ['tensor', 'ei-rnn'].map((p) => [
    `@wmkit/${p}`,
    pathToFileURL(path.join(root, 'packages', p, 'node_modules', opts['before-tag'], 'index.js')).href,
  ]),
);
writeFileSync(
  hook,
  `const t = ${JSON.stringify(targets)};\nexport async function resolve(s, c, next) { return t[s] ? { url: t[s], shortCircuit: true } : next(s, c); }\n`,
);
const reg = path.join(tmp, 'register.mjs');
writeFileSync(reg, `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hook).href)});\n`);
const child = path.join(here, 'stm-ab-child.mjs');
const run = (name) => {
  const args = name === 'before' ? ['--import', reg, child, String(opts.epochs)] : [child, String(opts.epochs)];
  const out = execFileSync(process.execPath, args, { cwd: root, env: { ...process.env, WMKIT_THREADS: String(opts.threads) } });
  return JSON.parse(out.toString().trim().split('\n').pop());
};
const rounds = { before: [], after: [] };
for (let r = 0; r < opts.rounds; r++)
  for (const name of r % 2 ? ['after', 'before'] : ['before', 'after']) {
    const x = run(name);
    rounds[name].push(x);
    console.error(
      `round ${r} ${name}: cpu ${x.cpuMsPerEpoch.toFixed(2)} ms/epoch, wall ${x.wallMsPerEpoch.toFixed(2)}, ${x.digest}, load ${os.loadavg()[0].toFixed(2)}`,
    );
  }
const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
const s = Object.fromEntries(
  Object.entries(rounds).map(([k, v]) => [
    k,
    {
      cpuMedian: median(v.map((x) => x.cpuMsPerEpoch)),
      cpuMin: Math.min(...v.map((x) => x.cpuMsPerEpoch)),
      wallMedian: median(v.map((x) => x.wallMsPerEpoch)),
      digests: [...new Set(v.map((x) => x.digest))],
    },
  ]),
);
console.log(
  JSON.stringify(
    {
      threads: opts.threads,
      epochs: opts.epochs,
      rounds: opts.rounds,
      speedupCpuMedian: s.before.cpuMedian / s.after.cpuMedian,
      speedupCpuMin: s.before.cpuMin / s.after.cpuMin,
      ...s,
    },
    null,
    1,
  ),
);
