/**
 * Before/after rounds of the leaky scan (packages/tensor/csrc/kernels.c: leakyRnnForward and
 * leakyRnnBackward) in one process: the kernels.c of a git revision and the working tree's are
 * compiled as scripts/build-kernels.sh compiles them (the relaxed-SIMD form with clang 19, which
 * Node 20 runs; --plain 1: the clang-14 plain-SIMD form), then the scan is run on the same inputs
 * with each, alternating round by round. Prints the process CPU time per forward and per backward
 * (all kernel threads; median and min over rounds) and a digest of every output of each.
 *
 *   node bench/ab/leaky-scan-ab.mjs --before <git rev> [--threads 1] [--rounds 7] [--reps 20]
 *       [--B 128] [--N 100] [--T 56] [--mode rate] [--transfer tanh] [--clip 0 (none)] [--plain 0]
 *
 * Defaults: the DCDT network of bench `stm` (Kurtkaya et al.: N = 100, T = 56, batch 128, tanh).
 */
import path from 'node:path';
import { defineKernelModule, Kernels, Rng, setKernelThreads } from '@wmkit/tensor';
import { alternate, compileKernel, digest, gitShow, median, os, parseOptions, root, tempDir } from './common.mjs';

const opts = parseOptions(
  'node bench/ab/leaky-scan-ab.mjs --before <git rev> [--threads 1] [--rounds 7] [--reps 20] [--B 128] [--N 100] [--T 56] [--mode rate] [--transfer tanh] [--clip 0] [--plain 0]',
  { before: null, threads: 1, rounds: 7, reps: 20, B: 128, N: 100, T: 56, mode: 'rate', transfer: 'tanh', plain: 0, clip: 0 },
  { strings: ['before'], required: ['before'] },
);
const tmp = tempDir('scan-ab');
const src = 'packages/tensor/csrc/kernels.c';
const cFiles = { before: gitShow(opts.before, src, path.join(tmp, 'before.c')), after: path.join(root, src) };
const build = (name) => {
  const { single, threads } = compileKernel(cFiles[name], path.join(tmp, name), {
    relaxed: !opts.plain,
    include: [path.join(root, 'packages/tensor/csrc')],
  });
  const bins = opts.plain ? { single, threads } : { single, threads, relaxed: single, relaxedThreads: threads };
  return defineKernelModule(`scan-ab/${name}`, bins, (m) => new Kernels(m));
};
setKernelThreads(opts.threads);
const builds = { before: await build('before').init(), after: await build('after').init() };
// (a revision from before leaky_rnn_forward_prepare existed: the forward then needs no preparation)
for (const k of Object.values(builds))
  if (!k.raw.leaky_rnn_forward_prepare)
    Object.defineProperty(k, 'raw', { value: { ...k.raw, leaky_rnn_forward_prepare: () => {} }, configurable: true });

const { B, N, T } = opts;
const rng = new Rng(7);
const data = (n, s) => {
  const x = new Float32Array(n);
  rng.fork(`d${n}${s}`).fillNormal(x, 0, s);
  return x;
};
const inputs = {
  W: data(N * N, 1 / Math.sqrt(N)),
  D: data(T * B * N, 0.5),
  Z: data(T * B * N, 0.1),
  S0: data(B * N, 0.5),
  bias: data(N, 0.1),
  dY: data((T + 1) * B * N, 0.01),
};
const alpha = new Float32Array(N).fill(0.5);

function run(k) {
  return k.scope(() => {
    const buf = (x, n) => (x ? k.from(x) : k.buffer(n));
    const S = k.buffer((T + 1) * B * N);
    S.set(inputs.S0);
    const scan = {
      mode: opts.mode,
      transfer: opts.transfer,
      ...(opts.clip ? { clip: opts.clip } : {}),
      B,
      N,
      T,
      W: buf(inputs.W),
      D: buf(inputs.D),
      Z: buf(inputs.Z),
      bias: buf(inputs.bias),
      alpha: buf(alpha),
      S,
      Y: opts.mode === 'rate' ? k.buffer((T + 1) * B * N) : S,
      P: k.buffer(T * B * N),
      F: opts.mode === 'current' ? k.buffer(T * B * N) : null,
    };
    const g = {
      dY: buf(inputs.dY),
      dW: k.buffer(N * N),
      dD: k.buffer(T * B * N),
      dAlpha: k.buffer(N),
      dBias: k.buffer(N),
      dS0: k.buffer(B * N),
    };
    let fwd = 0,
      bwd = 0;
    for (let r = 0; r < opts.reps; r++) {
      let c0 = process.cpuUsage();
      k.leakyRnnForward(scan);
      let c = process.cpuUsage(c0);
      fwd += c.user + c.system;
      g.dW.fill(0);
      g.dAlpha.fill(0);
      g.dBias.fill(0);
      c0 = process.cpuUsage();
      k.leakyRnnBackward({ ...scan, ...g });
      c = process.cpuUsage(c0);
      bwd += c.user + c.system;
    }
    const outs = [scan.S, scan.Y, scan.P, scan.F, g.dW, g.dD, g.dAlpha, g.dBias, g.dS0];
    return { fwdMs: fwd / 1000 / opts.reps, bwdMs: bwd / 1000 / opts.reps, digest: digest(outs) };
  });
}
const rounds = alternate(opts.rounds, ['before', 'after'], (name) => run(builds[name]), { swap: true });
const s = Object.fromEntries(
  Object.entries(rounds).map(([k, v]) => [
    k,
    {
      fwdMedian: +median(v.map((x) => x.fwdMs)).toFixed(3),
      fwdMin: +Math.min(...v.map((x) => x.fwdMs)).toFixed(3),
      bwdMedian: +median(v.map((x) => x.bwdMs)).toFixed(3),
      bwdMin: +Math.min(...v.map((x) => x.bwdMs)).toFixed(3),
      digests: [...new Set(v.map((x) => x.digest))].join(' '),
    },
  ]),
);
const { before: b, after: a } = s;
console.log(
  JSON.stringify(
    {
      what: `leaky scan ${opts.mode} ${opts.transfer} B=${B} N=${N} T=${T}, ${opts.threads} thread(s), ${opts.rounds} rounds × ${opts.reps}, ${opts.plain ? 'plain' : 'relaxed'} SIMD`,
      byteIdentical: b.digests === a.digests,
      fwdSpeedupMedian: +(b.fwdMedian / a.fwdMedian).toFixed(3),
      bwdSpeedupMedian: +(b.bwdMedian / a.bwdMedian).toFixed(3),
      fwdSpeedupMin: +(b.fwdMin / a.fwdMin).toFixed(3),
      bwdSpeedupMin: +(b.bwdMin / a.bwdMin).toFixed(3),
      before: b,
      after: a,
      load: os.loadavg().map((x) => +x.toFixed(2)),
    },
    null,
    1,
  ),
);
process.exit(0);
