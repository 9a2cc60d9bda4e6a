/**
 * Before/after rounds of the ring kernel (packages/attractor-models/csrc/ring.c) in one process:
 * the ring.c of a git revision and the working tree's are compiled as scripts/build-kernels.sh
 * compiles them (clang 14, same flags), then the bump model's 2-s protocol (Wimmer et al. 2014; as
 * `simulateRing` runs it: batches of 128 trials, 100 steps per kernel call) is run with each, the
 * two alternating round by round, so that a busy machine slows both alike. Prints, per build, the
 * process CPU time per trial (all kernel threads together; median and minimum over the rounds),
 * the wall time, a digest of every output (equal digests: byte-identical results) and the load.
 * On a busy machine the median of the per-round ratios (`speedupCpuPairedMedian`) and the ratio of
 * the means of each build's five fastest rounds (`speedupCpuLowest5`) are the steadier figures;
 * many short rounds (e.g. --trials 16 --rounds 40) give them more to choose from.
 *
 *   node bench/ab/ring-kernel-ab.mjs --before <git rev> [--threads 2] [--trials 256] [--rounds 5] [--out file.json]
 *
 * Needs clang-14 and wasm-ld-14 (as build-kernels.sh) and a build (pnpm build).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  cueStimulus,
  fourierConnectivity,
  neuronAngles,
  RingKernels,
  ringModel,
  ringNoisePerStep,
  ringProtocol,
} from '@wmkit/attractor-models';
import { defineKernelModule, Rng, setKernelThreads } from '@wmkit/tensor';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const opts = { before: null, threads: 2, trials: 256, rounds: 5, out: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const k = argv[i]?.replace(/^--/, '');
  if (!(k in opts) || argv[i + 1] == null) {
    console.error('usage: node bench/ab/ring-kernel-ab.mjs --before <git rev> [--threads 2] [--trials 256] [--rounds 5] [--out file.json]');
    process.exit(2);
  }
  opts[k] = k === 'before' || k === 'out' ? argv[i + 1] : Number(argv[i + 1]);
}
if (!opts.before) {
  console.error('ring-kernel-ab: --before <git rev> is required (the revision whose ring.c is the "before")');
  process.exit(2);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ring-ab-'));
const src = 'packages/attractor-models/csrc/ring.c';
writeFileSync(path.join(tmp, 'before.c'), execFileSync('git', ['-C', root, 'show', `${opts.before}:${src}`]));
writeFileSync(path.join(tmp, 'after.c'), readFileSync(path.join(root, src)));
const cflags = ['--target=wasm32', '-O3', '-msimd128', '-mbulk-memory', '-nostdlib', '-ffreestanding', '-fvisibility=hidden'];
cflags.push('-fno-builtin', '-Wall', '-Werror', '-Wno-unused-function', '-I', path.join(root, 'packages/tensor/csrc'));
const ldflags = [
  '-Wl,--no-entry',
  '-Wl,--export-dynamic',
  '-Wl,--import-memory',
  '-Wl,--strip-all',
  `-fuse-ld=${execFileSync('sh', ['-c', 'command -v wasm-ld-14']).toString().trim()}`,
];
const threadFlags = ['-matomics', '-mmutable-globals', ...ldflags, '-Wl,--shared-memory', '-Wl,--max-memory=4294967296'];
threadFlags.push('-Wl,--export=__stack_pointer');
const build = (name) => {
  const c = path.join(tmp, `${name}.c`);
  execFileSync('clang-14', [...cflags, ...ldflags, '-o', path.join(tmp, `${name}.wasm`), c]);
  execFileSync('clang-14', [...cflags, ...threadFlags, '-o', path.join(tmp, `${name}-threads.wasm`), c]);
  const b64 = (f) => readFileSync(path.join(tmp, f)).toString('base64');
  return defineKernelModule(
    `ring-ab/${name}`,
    { single: b64(`${name}.wasm`), threads: b64(`${name}-threads.wasm`) },
    (m) => new RingKernels(m),
  );
};
setKernelThreads(opts.threads);
const builds = { before: build('before').get(), after: build('after').get() };

/** simulateRing's loop for the bump model (2-s delay, all outputs but units and traces), with kernel `k`. */
function bump(k, B) {
  const p = ringModel('bump');
  const N = p.NE;
  const pr = ringProtocol(p, 2000);
  const fourier = fourierConnectivity(p);
  const th = neuronAngles(p);
  const noise = ringNoisePerStep(p);
  const rng = new Rng(1);
  const recEvery = 25;
  const nRec = Math.floor(pr.steps / recEvery);
  const stepsPerCall = Math.ceil(pr.steps / Math.ceil(pr.steps / 100));
  const h = createHash('sha256');
  k.scope(() => {
    const basis = k.from(fourier.basis);
    const basisW = k.from(fourier.basisW);
    const cosTh = k.from(Float32Array.from(th, Math.cos));
    const sinTh = k.from(Float32Array.from(th, Math.sin));
    for (let start = 0; start < B; start += 128) {
      const Bc = Math.min(128, B - start);
      k.scope(() => {
        const stim = k.buffer(Bc * N);
        for (let b = 0; b < Bc; b++) stim.set(cueStimulus(p, (2 * Math.PI * ((start + b) % 8)) / 8), b * N);
        const rngStates = k.buffer(Bc * 4);
        for (let b = 0; b < Bc; b++) rngStates.viewU32().set(rng.fork(`trial${start + b}`).getState(), 4 * b);
        const bufs = {
          rE: k.buffer(Bc * N),
          mI: k.buffer(Bc),
          proj: k.buffer(Bc * fourier.nBasis),
          rec: k.buffer(Bc * N),
          delayRates: k.buffer(Bc * N),
          response: k.buffer(Bc),
          angles: k.buffer(Bc * nRec),
        };
        for (let first = 1; first <= pr.steps; first += stepsPerCall) {
          k.ringNetworkRun({
            ...{ B: Bc, N, steps: Math.min(stepsPerCall, pr.steps - first + 1), firstStep: first, mode: 1, nBasis: fourier.nBasis },
            ...{ basis, basisW, nPops: 0, pop: null, popW: null, decaying: false, GEE: p.GEE, GEI: p.GEI, GIE: p.GIE, GII: p.GII },
            ...{ I0E: p.I0E, I0I: p.I0I, sigE: noise.sigE, sigI: noise.sigI, kE: p.dtMs / p.tauEMs, kI: p.dtMs / p.tauIMs },
            ...{ kM: 0, aM: 0, gateSlope: 0, gateThreshold: 0, sqrtNI: Math.sqrt(p.NI), stimOn: pr.stimOn, stimOff: pr.stimOff },
            ...{ eraseOn: pr.eraseOn, eraseOff: pr.eraseOff, delayEnd: pr.delayEnd, delayWin: pr.delayWin, eraseAmp: p.eraseAmp },
            ...{ stim, cosTh, sinTh, ...bufs, Im: null, unitRates: null, traces: null, units: null },
            ...{ recordEvery: recEvery, nRec, nUnits: 0, traceTrials: 0, rng: rngStates, excludeRecorded: false },
          });
        }
        for (const x of [bufs.response, bufs.delayRates, bufs.angles, bufs.rE, bufs.mI, rngStates]) h.update(x.viewU8().slice());
      });
    }
  });
  return h.digest('hex').slice(0, 16);
}

const rounds = { before: [], after: [] };
const digests = {};
for (let r = 0; r < opts.rounds; r++) {
  for (const [name, k] of Object.entries(builds)) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    digests[name] = bump(k, opts.trials);
    const c = process.cpuUsage(c0);
    rounds[name].push({ cpuMsPerTrial: (c.user + c.system) / 1000 / opts.trials, wallS: (performance.now() - t0) / 1000 });
  }
}
const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
const lowest5 = (a) => {
  const s = a
    .slice()
    .sort((x, y) => x - y)
    .slice(0, 5);
  return s.reduce((t, x) => t + x, 0) / s.length;
};
const summary = Object.fromEntries(
  Object.entries(rounds).map(([name, rs]) => {
    const cpu = rs.map((x) => x.cpuMsPerTrial);
    return [
      name,
      {
        cpuMsPerTrialMedian: median(cpu),
        cpuMsPerTrialMin: Math.min(...cpu),
        cpuMsPerTrialLowest5: lowest5(cpu),
        wallSMedian: median(rs.map((x) => x.wallS)),
        digest: digests[name],
        rounds: rs,
      },
    ];
  }),
);
const result = {
  what: `bump model, 2-s delay, ${opts.trials} trials on ${opts.threads} kernel thread(s), ${opts.rounds} interleaved rounds`,
  beforeRevision: opts.before,
  afterRevision: 'the working tree',
  byteIdentical: digests.before === digests.after,
  speedupCpuMedian: summary.before.cpuMsPerTrialMedian / summary.after.cpuMsPerTrialMedian,
  speedupCpuMin: summary.before.cpuMsPerTrialMin / summary.after.cpuMsPerTrialMin,
  speedupCpuPairedMedian: median(rounds.before.map((x, r) => x.cpuMsPerTrial / rounds.after[r].cpuMsPerTrial)),
  speedupCpuLowest5: summary.before.cpuMsPerTrialLowest5 / summary.after.cpuMsPerTrialLowest5,
  loadAverage: os.loadavg(),
  builds: summary,
};
console.log(JSON.stringify(result, null, 2));
if (opts.out) writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
