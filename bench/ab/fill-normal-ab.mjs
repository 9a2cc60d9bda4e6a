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
import { createHash } from 'node:crypto';
import path from 'node:path';
import { defineKernelModule, KernelHost, Rng, runtimeHasRelaxedSimd, setKernelThreads } from '@wmkit/tensor';
import { abResult, alternate, compileKernel, emit, gitArchive, parseOptions, root, summarize, tempDir } from './common.mjs';

const opts = parseOptions(
  'node bench/ab/fill-normal-ab.mjs --before <git rev> [--n 716800] [--calls 10] [--rounds 7] [--mean 0] [--std 1] [--form single|relaxed] [--out file.json]',
  { before: null, n: 716800, calls: 10, rounds: 7, mean: 0, std: 1, form: 'single', out: null },
  { strings: ['before', 'out'], required: ['before'] },
);
const tmp = tempDir('fill-normal-ab');
const csrc = 'packages/tensor/csrc';
// the before: the revision's whole csrc folder (kernels.c and the headers it includes)
const dirs = { before: gitArchive(opts.before, csrc, path.join(tmp, 'before')), after: path.join(root, csrc) };
const relaxed = opts.form === 'relaxed';
if (relaxed && !runtimeHasRelaxedSimd()) throw new Error('fill-normal-ab: this runtime does not run relaxed SIMD');
const build = (name) => {
  const { single } = compileKernel(path.join(dirs[name], 'kernels.c'), path.join(tmp, name), {
    relaxed,
    include: [dirs[name]],
    threads: false,
  });
  return defineKernelModule(`fill-normal-ab/${name}`, { single }, (m) => new KernelHost(m)).get();
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

const digests = {};
const draws = opts.n * opts.calls;
const rounds = alternate(opts.rounds, ['before', 'after'], (name) => {
  const { digest, cpuUs, wallMs } = run(builds[name]);
  digests[name] = digest;
  return { cpuNsPerDraw: (cpuUs * 1000) / draws, wallNsPerDraw: (wallMs * 1e6) / draws };
});
const summary = summarize(rounds, digests, 'cpuNsPerDraw');
const what = `fill_normal (${opts.form} form): ${opts.calls} calls × ${opts.n} draws of N(${opts.mean}, ${opts.std}²) from one stream, ${opts.rounds} interleaved rounds (the digests: sha256 of every value and the end state; only the fills are timed)`;
const labels = { beforeRevision: opts.before, afterRevision: 'the working tree' };
emit(abResult({ what, labels, identicalKey: 'byteIdentical', summary, key: 'cpuNsPerDraw' }), opts.out);
process.exit(0);
