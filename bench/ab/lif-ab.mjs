/**
 * Before/after LIF simulations (Kim's converted network, N = 200, dt = 0.05 ms, noise on, as the
 * `lif` bench rows run it) with two builds of @wmkit/ei-rnn's bundle (e.g. its dist/index.js with
 * main's kernel binaries and the rebuilt one): each round starts one process per build,
 * alternating, in which a resolve hook maps '@wmkit/ei-rnn' to that build's file. Prints, per
 * build, the process CPU ms per trial of simulateSpiking (all kernel threads together; median and
 * minimum over the rounds) and a digest of its outputs (equal digests: identical results).
 *
 *   node bench/ab/lif-ab.mjs --before <ei-rnn bundle> --after <ei-rnn bundle> [--threads 1] [--trials 10] [--ms 500] [--rounds 5] [--out file.json]
 *
 * (The bundles must lie in packages/ei-rnn/dist/, so that their own imports resolve.)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { abResult, alternate, digest, emit, parseOptions, resolveHook, runChild, summarize, tempDir, timed } from './common.mjs';

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  const [, threads, trials, ms] = argv.map(Number);
  process.env.WMKIT_THREADS = String(threads);
  const { createRateRNN, KIM_RATE_CONFIG, simulateSpiking, toSpiking } = await import('@wmkit/ei-rnn');
  const { initKernels, Rng } = await import('@wmkit/tensor');
  await initKernels();
  const net = toSpiking(createRateRNN(KIM_RATE_CONFIG, new Rng(3)), { scale: 1 / 40 });
  const T = Math.round(ms / 5);
  const inputs = { data: new Float32Array(trials * T * 2), shape: [trials, T, 2] };
  simulateSpiking(net, inputs, new Rng(4)); // (warm-up: compilation, thread start)
  const { value: r, cpuUs } = timed(() => simulateSpiking(net, inputs, new Rng(4)));
  const outs = [JSON.stringify({ spikes: r.totalSpikes }), r.outputs.mean.data, r.outputs.max.data, r.outputs.min.data, r.meanRateHz];
  console.log(JSON.stringify({ cpuMs: cpuUs / 1000, digest: digest(outs) }));
  process.exit(0);
}

const opts = parseOptions(
  'node bench/ab/lif-ab.mjs --before <ei-rnn bundle> --after <ei-rnn bundle> [--threads 1] [--trials 10] [--ms 500] [--rounds 5] [--out file.json]',
  { before: null, after: null, threads: 1, trials: 10, ms: 500, rounds: 5, out: null },
  { strings: ['before', 'after', 'out'], required: ['before', 'after'] },
);
const tmp = tempDir('lif-ab');
const builds = Object.fromEntries(['before', 'after'].map((n) => [n, resolveHook(tmp, n, { '@wmkit/ei-rnn': path.resolve(opts[n]) })]));
const digests = {};
const rounds = alternate(opts.rounds, ['before', 'after'], (name) => {
  const args = [fileURLToPath(import.meta.url), '--child', String(opts.threads), String(opts.trials), String(opts.ms)];
  const x = runChild(builds[name], args);
  digests[name] = x.digest;
  return { cpuMsPerTrial: x.cpuMs / opts.trials };
});
const summary = summarize(rounds, digests, 'cpuMsPerTrial');
const what = `LIF network N = 200, dt 0.05 ms, ${opts.trials} trials of ${opts.ms} ms per process on ${opts.threads} kernel thread(s), ${opts.rounds} interleaved rounds`;
const labels = { before: opts.before, after: opts.after };
emit(abResult({ what, labels, identicalKey: 'identical', summary, key: 'cpuMsPerTrial' }), opts.out);
