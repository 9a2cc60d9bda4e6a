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
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  const [, threads, trials, ms] = argv.map(Number);
  process.env.WMKIT_THREADS = String(threads);
  const { createHash } = await import('node:crypto');
  const { createRateRNN, KIM_RATE_CONFIG, simulateSpiking, toSpiking } = await import('@wmkit/ei-rnn');
  const { initKernels, Rng } = await import('@wmkit/tensor');
  await initKernels();
  const net = toSpiking(createRateRNN(KIM_RATE_CONFIG, new Rng(3)), { scale: 1 / 40 });
  const T = Math.round(ms / 5);
  const inputs = { data: new Float32Array(trials * T * 2), shape: [trials, T, 2] };
  simulateSpiking(net, inputs, new Rng(4)); // (warm-up: compilation, thread start)
  const c0 = process.cpuUsage();
  const r = simulateSpiking(net, inputs, new Rng(4));
  const c = process.cpuUsage(c0);
  const h = createHash('sha256');
  h.update(JSON.stringify({ spikes: r.totalSpikes }));
  for (const d of [r.outputs.mean.data, r.outputs.max.data, r.outputs.min.data, r.meanRateHz]) {
    h.update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  }
  console.log(JSON.stringify({ cpuMs: (c.user + c.system) / 1000, digest: h.digest('hex').slice(0, 16) }));
  process.exit(0);
}

const opts = { before: null, after: null, threads: 1, trials: 10, ms: 500, rounds: 5, out: null };
for (let i = 0; i < argv.length; i += 2) {
  const k = argv[i]?.replace(/^--/, '');
  if (!(k in opts) || argv[i + 1] == null) {
    console.error(
      'usage: node bench/ab/lif-ab.mjs --before <ei-rnn bundle> --after <ei-rnn bundle> [--threads 1] [--trials 10] [--ms 500] [--rounds 5] [--out file.json]',
    );
    process.exit(2);
  }
  opts[k] = ['before', 'after', 'out'].includes(k) ? argv[i + 1] : Number(argv[i + 1]);
}
if (!opts.before || !opts.after) {
  console.error('lif-ab: --before and --after (two builds of packages/ei-rnn/dist/index.js) are required');
  process.exit(2);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lif-ab-'));
/** A module for `node --import` that registers a resolve hook mapping '@wmkit/ei-rnn' to `file`. */
const hook = (name, file) => {
  const url = pathToFileURL(path.resolve(file)).href;
  const hooks = path.join(tmp, `${name}-hooks.mjs`);
  writeFileSync(
    hooks,
    `export async function resolve(s, c, next) {\n  return s === '@wmkit/ei-rnn' ? { url: ${JSON.stringify(url)}, shortCircuit: true } : next(s, c);\n}\n`,
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
    const args = ['--import', h, fileURLToPath(import.meta.url), '--child', String(opts.threads), String(opts.trials), String(opts.ms)];
    const out = execFileSync(process.execPath, args, { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const x = JSON.parse(out.trim().split('\n').pop());
    digests[name] = x.digest;
    rounds[name].push({ cpuMsPerTrial: x.cpuMs / opts.trials });
  }
}
const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
const summary = Object.fromEntries(
  Object.entries(rounds).map(([name, rs]) => {
    const cpu = rs.map((x) => x.cpuMsPerTrial);
    return [name, { cpuMsPerTrialMedian: median(cpu), cpuMsPerTrialMin: Math.min(...cpu), digest: digests[name], rounds: rs }];
  }),
);
const result = {
  what: `LIF network N = 200, dt 0.05 ms, ${opts.trials} trials of ${opts.ms} ms per process on ${opts.threads} kernel thread(s), ${opts.rounds} interleaved rounds`,
  before: opts.before,
  after: opts.after,
  identical: digests.before === digests.after,
  speedupCpuMedian: summary.before.cpuMsPerTrialMedian / summary.after.cpuMsPerTrialMedian,
  speedupCpuMin: summary.before.cpuMsPerTrialMin / summary.after.cpuMsPerTrialMin,
  loadAverage: os.loadavg(),
  builds: summary,
};
console.log(JSON.stringify(result, null, 2));
if (opts.out) writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
