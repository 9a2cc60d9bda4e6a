/**
 * Before/after DCDT training epochs (Kurtkaya et al.: N = 100, delay 200 ms, full batch of 128, as
 * bench/src/benches/stm.ts trains it) with two builds of @wmkit/tensor's bundle, e.g. main's
 * dist/index.js saved before a kernel change and the rebuilt one: each round starts one process
 * per build, alternating, in which a resolve hook maps '@wmkit/tensor' to that build's file, so
 * that a busy machine slows both alike. Prints, per build, the process CPU ms per epoch of
 * trainStm (all kernel threads together; median and minimum over the rounds), trainStm's own
 * seconds per epoch, the CPU ms of its normal fills (Kernels.fillNormal, timed where the trainer
 * calls it) per epoch, and a digest of the losses and trained weights (equal digests: identical).
 *
 *   node bench/ab/dcdt-epoch-ab.mjs --before <tensor dist/index.js> --after <tensor dist/index.js> [--threads 2] [--epochs 10] [--rounds 5] [--out file.json]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  // one training run with the bundle the hook maps '@wmkit/tensor' to
  const [, threads, epochs] = argv;
  process.env.WMKIT_THREADS = threads;
  const { createHash } = await import('node:crypto');
  const { KURTKAYA2025_RNN, trainStm } = await import('@wmkit/ei-rnn');
  const { stmTask } = await import('@wmkit/tasks');
  const { initKernels, kernels, Rng } = await import('@wmkit/tensor');
  await initKernels();
  // the normal fills' own share: Kernels.fillNormal timed where the trainer calls it
  const k = kernels();
  const fill = k.fillNormal.bind(k);
  let fillUs = 0;
  let draws = 0;
  k.fillNormal = (...args) => {
    const f0 = process.cpuUsage();
    fill(...args);
    const f = process.cpuUsage(f0);
    fillUs += f.user + f.system;
    draws += args[1].length;
  };
  const c0 = process.cpuUsage();
  const r = trainStm(stmTask({ delayMs: 200 }), KURTKAYA2025_RNN, new Rng(1), { lr: 0.01, epochs: Number(epochs) });
  const c = process.cpuUsage(c0);
  const h = createHash('sha256');
  h.update(new Uint8Array(r.loss.buffer, r.loss.byteOffset, r.loss.byteLength));
  for (const name of ['w', 'wIn', 'bias', 'wOut', 'bOut', 'tauRaw']) {
    const d = r.model[name];
    h.update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  }
  console.log(
    JSON.stringify({
      cpuMs: (c.user + c.system) / 1000,
      fillCpuMs: fillUs / 1000,
      draws,
      seconds: r.seconds,
      digest: h.digest('hex').slice(0, 16),
    }),
  );
  process.exit(0);
}

const opts = { before: null, after: null, threads: 2, epochs: 10, rounds: 5, out: null };
for (let i = 0; i < argv.length; i += 2) {
  const k = argv[i]?.replace(/^--/, '');
  if (!(k in opts) || argv[i + 1] == null) {
    console.error(
      'usage: node bench/ab/dcdt-epoch-ab.mjs --before <tensor dist/index.js> --after <tensor dist/index.js> [--threads 2] [--epochs 10] [--rounds 5] [--out file.json]',
    );
    process.exit(2);
  }
  opts[k] = ['before', 'after', 'out'].includes(k) ? argv[i + 1] : Number(argv[i + 1]);
}
if (!opts.before || !opts.after) {
  console.error('dcdt-epoch-ab: --before and --after (two builds of packages/tensor/dist/index.js) are required');
  process.exit(2);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcdt-ab-'));
/** A module for `node --import` that registers a resolve hook mapping '@wmkit/tensor' to `file`. */
const hook = (name, file) => {
  const url = pathToFileURL(path.resolve(file)).href;
  const hooks = path.join(tmp, `${name}-hooks.mjs`);
  writeFileSync(
    hooks,
    `export async function resolve(s, c, next) {\n  return s === '@wmkit/tensor' ? { url: ${JSON.stringify(url)}, shortCircuit: true } : next(s, c);\n}\n`,
  );
  const f = path.join(tmp, `${name}-register.mjs`);
  writeFileSync(f, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return f;
};
const builds = { before: hook('before', opts.before), after: hook('after', opts.after) };
const rounds = { before: [], after: [] };
const digests = {};
for (let r = 0; r < opts.rounds; r++) {
  for (const [name, h] of Object.entries(builds)) {
    const out = execFileSync(
      process.execPath,
      ['--import', h, fileURLToPath(import.meta.url), '--child', String(opts.threads), String(opts.epochs)],
      {
        cwd: here,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const x = JSON.parse(out.trim().split('\n').pop());
    digests[name] = x.digest;
    rounds[name].push({
      cpuMsPerEpoch: x.cpuMs / opts.epochs,
      fillCpuMsPerEpoch: x.fillCpuMs / opts.epochs,
      drawsPerEpoch: x.draws / opts.epochs,
      msPerEpoch: (x.seconds * 1000) / opts.epochs,
    });
  }
}
const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
const summary = Object.fromEntries(
  Object.entries(rounds).map(([name, rs]) => {
    const cpu = rs.map((x) => x.cpuMsPerEpoch);
    return [
      name,
      {
        cpuMsPerEpochMedian: median(cpu),
        cpuMsPerEpochMin: Math.min(...cpu),
        fillCpuMsPerEpochMedian: median(rs.map((x) => x.fillCpuMsPerEpoch)),
        fillCpuMsPerEpochMin: Math.min(...rs.map((x) => x.fillCpuMsPerEpoch)),
        msPerEpochMedian: median(rs.map((x) => x.msPerEpoch)),
        digest: digests[name],
        rounds: rs,
      },
    ];
  }),
);
const result = {
  what: `DCDT training (N = 100, delay 200 ms, batch 128), ${opts.epochs} epochs per process on ${opts.threads} kernel thread(s), ${opts.rounds} interleaved rounds`,
  before: opts.before,
  after: opts.after,
  identical: digests.before === digests.after,
  speedupCpuMedian: summary.before.cpuMsPerEpochMedian / summary.after.cpuMsPerEpochMedian,
  speedupCpuMin: summary.before.cpuMsPerEpochMin / summary.after.cpuMsPerEpochMin,
  loadAverage: os.loadavg(),
  builds: summary,
};
console.log(JSON.stringify(result, null, 2));
if (opts.out) writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
