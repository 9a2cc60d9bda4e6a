/**
 * Before/after rounds of DCDT training (bench/ab/stm-ab-child.mjs), alternating two builds: "after"
 * is the working tree's build; "before" is either
 *   --before-dir <dir>: a copy of a build of packages/tensor/dist (default
 *     packages/tensor/node_modules/.ab-before/, so that its dependencies resolve), or
 *   --before-tag <tag>: copies of the dist folders of @wmkit/tensor and @wmkit/ei-rnn (e.g. a
 *     branch that also changed the trainer's glue) at packages/<pkg>/node_modules/<tag>/; a package
 *     without such a copy keeps the working tree's build.
 * Each round runs one child process per build (the "before" one with a resolve hook that sends the
 * package(s) to the copies); prints median and min CPU ms per epoch, wall ms and the digests.
 *
 *   node bench/ab/stm-ab.mjs [--threads 2] [--epochs 20] [--rounds 5] [--before-dir <dir> | --before-tag <tag>]
 *
 * To make a "before": build the revision, then e.g.
 *   cp -r packages/tensor/dist packages/tensor/node_modules/.ab-before
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { alternate, here, median, os, parseOptions, resolveHook, root, runChild, tempDir } from './common.mjs';

const opts = parseOptions(
  'node bench/ab/stm-ab.mjs [--threads 2] [--epochs 20] [--rounds 5] [--before-dir <dir> | --before-tag <tag>]',
  { threads: 2, epochs: 20, rounds: 5, 'before-dir': null, 'before-tag': null },
  { strings: ['before-dir', 'before-tag'] },
);
let targets;
if (opts['before-tag']) {
  targets = {};
  for (const p of ['tensor', 'ei-rnn']) {
    const f = path.join(root, 'packages', p, 'node_modules', opts['before-tag'], 'index.js');
    if (existsSync(f)) targets[`@wmkit/${p}`] = f;
  }
  if (!Object.keys(targets).length) {
    console.error(`stm-ab: no packages/{tensor,ei-rnn}/node_modules/${opts['before-tag']}/index.js`);
    process.exit(2);
  }
} else {
  targets = { '@wmkit/tensor': path.join(opts['before-dir'] ?? path.join(root, 'packages/tensor/node_modules/.ab-before'), 'index.js') };
}
const hook = resolveHook(tempDir('stm-ab'), 'before', targets);
const child = path.join(here, 'stm-ab-child.mjs');
const env = { ...process.env, WMKIT_THREADS: String(opts.threads) };
const rounds = alternate(
  opts.rounds,
  ['before', 'after'],
  (name, r) => {
    const x = runChild(name === 'before' ? hook : null, [child, String(opts.epochs)], { cwd: root, env });
    console.error(
      `round ${r} ${name}: cpu ${x.cpuMsPerEpoch.toFixed(2)} ms/epoch, wall ${x.wallMsPerEpoch.toFixed(2)}, ${x.digest}, load ${os.loadavg()[0].toFixed(2)}`,
    );
    return x;
  },
  { swap: true },
);
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
      beforeBuild: targets,
      speedupCpuMedian: s.before.cpuMedian / s.after.cpuMedian,
      speedupCpuMin: s.before.cpuMin / s.after.cpuMin,
      ...s,
    },
    null,
    1,
  ),
);
