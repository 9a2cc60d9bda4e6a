/**
 * Before/after rounds of the single-stream normal fill (fill_normal in packages/tensor/csrc/module.h,
 * the kernel behind `Kernels.fillNormal`) in one process: packages/tensor/csrc of a git revision and
 * of the working tree are compiled as scripts/build-kernels.sh compiles tensor's single-thread
 * module (clang 14, same flags; `--form relaxed`: its relaxed-SIMD form, clang 19, which Node ≥ 20
 * runs by default), then each fills `--n` values per call `--calls` times from one
 * Rng's stream, the two builds alternating round by round so that a busy machine slows both alike.
 * Prints, per build, the process CPU ns per draw (median and minimum over the rounds) and a digest
 * of every value and of the generator's end state (equal digests: byte-identical results).
 *
 *   node bench/ab/fill-normal-ab.mjs --before <git rev> [--n 716800] [--calls 10] [--rounds 7] [--mean 0] [--std 1] [--form single|relaxed] [--out file.json]
 *
 * Needs clang-14 and wasm-ld-14 (as build-kernels.sh) and a build (pnpm build).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineKernelModule, KernelHost, Rng, runtimeHasRelaxedSimd, setKernelThreads } from '@wmkit/tensor';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const opts = { before: null, n: 716800, calls: 10, rounds: 7, mean: 0, std: 1, form: 'single', out: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const k = argv[i]?.replace(/^--/, '');
  if (!(k in opts) || argv[i + 1] == null) {
    console.error(
      'usage: node bench/ab/fill-normal-ab.mjs --before <git rev> [--n 716800] [--calls 10] [--rounds 7] [--mean 0] [--std 1] [--form single|relaxed] [--out file.json]',
    );
    process.exit(2);
  }
  opts[k] = k === 'before' || k === 'out' || k === 'form' ? argv[i + 1] : Number(argv[i + 1]);
}
if (!opts.before) {
  console.error('fill-normal-ab: --before <git rev> is required (the revision whose tensor csrc is the "before")');
  process.exit(2);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fill-normal-ab-'));
const csrc = 'packages/tensor/csrc';
// the before: the revision's whole csrc folder (kernels.c and the headers it includes)
mkdirSync(path.join(tmp, 'before'));
execFileSync('sh', ['-c', `git -C "${root}" archive ${opts.before} ${csrc} | tar -x -C "${path.join(tmp, 'before')}"`]);
const dirs = { before: path.join(tmp, 'before', csrc), after: path.join(root, csrc) };
const cflags = ['--target=wasm32', '-O3', '-msimd128', '-mbulk-memory', '-nostdlib', '-ffreestanding', '-fvisibility=hidden'];
cflags.push('-fno-builtin', '-Wall', '-Werror', '-Wno-unused-function');
const relaxed = opts.form === 'relaxed';
if (relaxed) {
  cflags.push('-mrelaxed-simd', '-ffp-contract=off');
  if (!runtimeHasRelaxedSimd()) throw new Error('fill-normal-ab: this runtime does not run relaxed SIMD');
}
const cc = relaxed ? 'clang-19' : 'clang-14';
const ldflags = [
  '-Wl,--no-entry',
  '-Wl,--export-dynamic',
  '-Wl,--import-memory',
  '-Wl,--strip-all',
  `-fuse-ld=${execFileSync('sh', ['-c', `command -v wasm-ld-${relaxed ? 19 : 14}`])
    .toString()
    .trim()}`,
];
const build = (name) => {
  const wasm = path.join(tmp, `${name}.wasm`);
  execFileSync(cc, [...cflags, '-I', dirs[name], ...ldflags, '-o', wasm, path.join(dirs[name], 'kernels.c')]);
  const b64 = execFileSync('base64', ['-w0', wasm]).toString();
  return defineKernelModule(`fill-normal-ab/${name}`, { single: b64 }, (m) => new KernelHost(m)).get();
};
setKernelThreads(1);
const builds = { before: build('before'), after: build('after') };

/**
 * `calls` fills of n values from one stream; returns the digest of all values and the end state,
 * and the CPU and wall time of the fills alone (the hashing is not timed).
 */
function run(k) {
  const rng = new Rng('fill-normal-ab');
  const h = createHash('sha256');
  let cpuUs = 0;
  let wallMs = 0;
  k.scope(() => {
    const out = k.buffer(opts.n);
    for (let c = 0; c < opts.calls; c++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      k.fillNormal(rng, out, opts.mean, opts.std);
      wallMs += performance.now() - t0;
      const d = process.cpuUsage(c0);
      cpuUs += d.user + d.system;
      h.update(out.viewU8());
    }
  });
  h.update(new Uint8Array(rng.getState().buffer));
  return { digest: h.digest('hex').slice(0, 16), cpuUs, wallMs };
}

const rounds = { before: [], after: [] };
const digests = {};
const draws = opts.n * opts.calls;
for (let r = 0; r < opts.rounds; r++) {
  for (const [name, k] of Object.entries(builds)) {
    const { digest, cpuUs, wallMs } = run(k);
    digests[name] = digest;
    rounds[name].push({ cpuNsPerDraw: (cpuUs * 1000) / draws, wallNsPerDraw: (wallMs * 1e6) / draws });
  }
}
const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
const summary = Object.fromEntries(
  Object.entries(rounds).map(([name, rs]) => {
    const cpu = rs.map((x) => x.cpuNsPerDraw);
    return [name, { cpuNsPerDrawMedian: median(cpu), cpuNsPerDrawMin: Math.min(...cpu), digest: digests[name], rounds: rs }];
  }),
);
const result = {
  what: `fill_normal (${opts.form} form): ${opts.calls} calls × ${opts.n} draws of N(${opts.mean}, ${opts.std}²) from one stream, ${opts.rounds} interleaved rounds (the digests: sha256 of every value and the end state; only the fills are timed)`,
  beforeRevision: opts.before,
  afterRevision: 'the working tree',
  byteIdentical: digests.before === digests.after,
  speedupCpuMedian: summary.before.cpuNsPerDrawMedian / summary.after.cpuNsPerDrawMedian,
  speedupCpuMin: summary.before.cpuNsPerDrawMin / summary.after.cpuNsPerDrawMin,
  loadAverage: os.loadavg(),
  builds: summary,
};
console.log(JSON.stringify(result, null, 2));
if (opts.out) writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
