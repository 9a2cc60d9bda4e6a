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
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { abResult, alternate, digest, emit, median, parseOptions, resolveHook, runChild, summarize, tempDir, timed } from './common.mjs';

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  // one training run with the bundle the hook maps '@wmkit/tensor' to
  const [, threads, epochs] = argv;
  process.env.WMKIT_THREADS = threads;
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
  const t = timed(() => trainStm(stmTask({ delayMs: 200 }), KURTKAYA2025_RNN, new Rng(1), { lr: 0.01, epochs: Number(epochs) }));
  const r = t.value;
  console.log(
    JSON.stringify({
      cpuMs: t.cpuUs / 1000,
      fillCpuMs: fillUs / 1000,
      draws,
      seconds: r.seconds,
      digest: digest([r.loss, ...['w', 'wIn', 'bias', 'wOut', 'bOut', 'tauRaw'].map((n) => r.model[n])]),
    }),
  );
  process.exit(0);
}

const opts = parseOptions(
  'node bench/ab/dcdt-epoch-ab.mjs --before <tensor dist/index.js> --after <tensor dist/index.js> [--threads 2] [--epochs 10] [--rounds 5] [--out file.json]',
  { before: null, after: null, threads: 2, epochs: 10, rounds: 5, out: null },
  { strings: ['before', 'after', 'out'], required: ['before', 'after'] },
);
const tmp = tempDir('dcdt-ab');
const builds = Object.fromEntries(['before', 'after'].map((n) => [n, resolveHook(tmp, n, { '@wmkit/tensor': path.resolve(opts[n]) })]));
const digests = {};
const rounds = alternate(opts.rounds, ['before', 'after'], (name) => {
  const x = runChild(builds[name], [fileURLToPath(import.meta.url), '--child', String(opts.threads), String(opts.epochs)]);
  digests[name] = x.digest;
  return {
    cpuMsPerEpoch: x.cpuMs / opts.epochs,
    fillCpuMsPerEpoch: x.fillCpuMs / opts.epochs,
    drawsPerEpoch: x.draws / opts.epochs,
    msPerEpoch: (x.seconds * 1000) / opts.epochs,
  };
});
const summary = summarize(rounds, digests, 'cpuMsPerEpoch', {
  fillCpuMsPerEpochMedian: (rs) => median(rs.map((x) => x.fillCpuMsPerEpoch)),
  fillCpuMsPerEpochMin: (rs) => Math.min(...rs.map((x) => x.fillCpuMsPerEpoch)),
  msPerEpochMedian: (rs) => median(rs.map((x) => x.msPerEpoch)),
});
const what = `DCDT training (N = 100, delay 200 ms, batch 128), ${opts.epochs} epochs per process on ${opts.threads} kernel thread(s), ${opts.rounds} interleaved rounds`;
const labels = { before: opts.before, after: opts.after };
emit(abResult({ what, labels, identicalKey: 'identical', summary, key: 'cpuMsPerEpoch' }), opts.out);
