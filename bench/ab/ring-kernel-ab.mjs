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
import path from 'node:path';
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
import {
  abResult,
  alternate,
  compileKernel,
  digest,
  emit,
  gitShow,
  lowest5,
  median,
  pairedMedian,
  parseOptions,
  root,
  summarize,
  tempDir,
  timed,
} from './common.mjs';

const opts = parseOptions(
  'node bench/ab/ring-kernel-ab.mjs --before <git rev> [--threads 2] [--trials 256] [--rounds 5] [--out file.json]',
  { before: null, threads: 2, trials: 256, rounds: 5, out: null },
  { strings: ['before', 'out'], required: ['before'] },
);
const tmp = tempDir('ring-ab');
const src = 'packages/attractor-models/csrc/ring.c';
const cFiles = { before: gitShow(opts.before, src, path.join(tmp, 'before.c')), after: path.join(root, src) };
const build = (name) =>
  defineKernelModule(
    `ring-ab/${name}`,
    compileKernel(cFiles[name], path.join(tmp, name), { include: [path.join(root, 'packages/tensor/csrc')] }),
    (m) => new RingKernels(m),
  );
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
  const outs = [];
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
        outs.push(...[bufs.response, bufs.delayRates, bufs.angles, bufs.rE, bufs.mI, rngStates].map((x) => x.viewU8().slice()));
      });
    }
  });
  return digest(outs);
}

const digests = {};
const rounds = alternate(opts.rounds, ['before', 'after'], (name) => {
  const t = timed(() => bump(builds[name], opts.trials));
  digests[name] = t.value;
  return { cpuMsPerTrial: t.cpuUs / 1000 / opts.trials, wallS: t.wallMs / 1000 };
});
const summary = summarize(rounds, digests, 'cpuMsPerTrial', {
  cpuMsPerTrialLowest5: (rs) => lowest5(rs.map((x) => x.cpuMsPerTrial)),
  wallSMedian: (rs) => median(rs.map((x) => x.wallS)),
});
const cpu = (name) => rounds[name].map((x) => x.cpuMsPerTrial);
const what = `bump model, 2-s delay, ${opts.trials} trials on ${opts.threads} kernel thread(s), ${opts.rounds} interleaved rounds`;
const extra = {
  speedupCpuPairedMedian: pairedMedian(cpu('before'), cpu('after')),
  speedupCpuLowest5: summary.before.cpuMsPerTrialLowest5 / summary.after.cpuMsPerTrialLowest5,
};
const labels = { beforeRevision: opts.before, afterRevision: 'the working tree' };
emit(abResult({ what, labels, identicalKey: 'byteIdentical', summary, key: 'cpuMsPerTrial', extra }), opts.out);
process.exit(0);
