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
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineKernelModule, Kernels, Rng, setKernelThreads } from '@wmkit/tensor';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const opts = { before: null, threads: 1, rounds: 7, reps: 20, B: 128, N: 100, T: 56, mode: 'rate', transfer: 'tanh', plain: 0, clip: 0 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const k = argv[i].replace(/^--/, '');
  if (!(k in opts)) throw new Error(`unknown option ${argv[i]}`);
  opts[k] = ['before', 'mode', 'transfer'].includes(k) ? argv[i + 1] : Number(argv[i + 1]);
}
if (!opts.before) throw new Error('--before <git rev> is required');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'scan-ab-'));
const src = 'packages/tensor/csrc/kernels.c';
writeFileSync(path.join(tmp, 'before.c'), execFileSync('git', ['-C', root, 'show', `${opts.before}:${src}`]));
writeFileSync(path.join(tmp, 'after.c'), readFileSync(path.join(root, src)));
const cc = opts.plain ? 'clang-14' : 'clang-19';
const ld = opts.plain ? 'wasm-ld-14' : 'wasm-ld-19';
const cflags = ['--target=wasm32', '-O3', '-msimd128', '-mbulk-memory', '-nostdlib', '-ffreestanding', '-fvisibility=hidden'];
cflags.push('-fno-builtin', '-Wall', '-Werror', '-Wno-unused-function', '-I', path.join(root, 'packages/tensor/csrc'));
if (!opts.plain) cflags.push('-mrelaxed-simd', '-ffp-contract=off');
const ldflags = ['-Wl,--no-entry', '-Wl,--export-dynamic', '-Wl,--import-memory', '-Wl,--strip-all'];
ldflags.push(
  `-fuse-ld=${execFileSync('sh', ['-c', `command -v ${ld}`])
    .toString()
    .trim()}`,
);
const threadFlags = ['-matomics', '-mmutable-globals', ...ldflags, '-Wl,--shared-memory', '-Wl,--max-memory=4294967296'];
threadFlags.push('-Wl,--export=__stack_pointer');
const build = (name) => {
  const c = path.join(tmp, `${name}.c`);
  execFileSync(cc, [...cflags, ...ldflags, '-o', path.join(tmp, `${name}.wasm`), c]);
  execFileSync(cc, [...cflags, ...threadFlags, '-o', path.join(tmp, `${name}-threads.wasm`), c]);
  const b64 = (f) => readFileSync(path.join(tmp, f)).toString('base64');
  const bins = opts.plain
    ? { single: b64(`${name}.wasm`), threads: b64(`${name}-threads.wasm`) }
    : {
        single: b64(`${name}.wasm`),
        threads: b64(`${name}-threads.wasm`),
        relaxed: b64(`${name}.wasm`),
        relaxedThreads: b64(`${name}-threads.wasm`),
      };
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
    const h = createHash('sha256');
    for (const x of [scan.S, scan.Y, scan.P, scan.F, g.dW, g.dD, g.dAlpha, g.dBias, g.dS0]) if (x) h.update(x.viewU8().slice());
    return { fwdMs: fwd / 1000 / opts.reps, bwdMs: bwd / 1000 / opts.reps, digest: h.digest('hex').slice(0, 16) };
  });
}
const rounds = { before: [], after: [] };
for (let r = 0; r < opts.rounds; r++)
  for (const name of r % 2 ? ['after', 'before'] : ['before', 'after']) rounds[name].push(run(builds[name]));
const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
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
