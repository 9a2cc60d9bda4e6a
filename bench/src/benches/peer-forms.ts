import { type Bench, type BenchRow, interleaved, num, runPythonReference } from '../harness';

/**
 * The audit of the peers, reproducible: every reference script in the form it had before the
 * audit and in the form the bench now uses (and the authors' own form where they published
 * code), on one thread, interleaved. No wmkit here: this shows that each peer is at least as
 * fast as its idiomatic form. Not part of a plain `pnpm bench`; run `pnpm bench --only peer-forms`.
 */
const SCRIPTS: {
  script: string;
  args: string[];
  key: string;
  unit: string;
  better: 'higher' | 'lower';
  forms: [string, string][];
  lib: string;
}[] = [
  {
    script: 'rnn_train_step.py',
    args: ['4'],
    key: 'ms_per_step',
    unit: 'ms/step',
    better: 'lower',
    lib: 'torch',
    forms: [
      ['batch-major', 'before: drive[:, t] of a [B, T, N] drive'],
      ['time-major', 'now: time-major drive, unbind'],
    ],
  },
  {
    script: 'kim_rate_train.py',
    args: ['16', '4'],
    key: 'trials_per_s',
    unit: 'trials/s',
    better: 'higher',
    lib: 'torch',
    forms: [
      ['original', 'before: drive[:, t], randn and read-out per step'],
      ['idiomatic', 'now: time-major drive and noise, addmm, one read-out'],
    ],
  },
  {
    script: 'dcdt_torch.py',
    args: ['200', '20'],
    key: 'ms_per_epoch',
    unit: 'ms/epoch',
    better: 'lower',
    lib: 'torch',
    forms: [
      ['spec', 'before: Win(u[:, t]), randn per step'],
      ['authors', "the authors' module (dynamical-phases-stm)"],
      ['idiomatic', 'now: drive + noise made once, time-major, addmm'],
    ],
  },
  {
    script: 'bump_numpy.py',
    args: ['64', '64'],
    key: 'trials_per_s',
    unit: 'trials/s',
    better: 'higher',
    lib: 'numpy',
    forms: [
      ['authors', "before: the authors' script batched (dense W, every I unit, float64)"],
      ['same-algorithm', 'now: Fourier modes + mean I, float32, in place'],
    ],
  },
  {
    script: 'rng_draws.py',
    args: ['10000000'],
    key: 'normal',
    unit: 'draws/s',
    better: 'higher',
    lib: 'numpy',
    forms: [
      ['alloc', 'before: a new array per call'],
      ['out', 'now: into a preallocated array (out=)'],
    ],
  },
  {
    script: 'matmul_gflops.py',
    args: ['256'],
    key: 'n256',
    unit: 'FLOP/s',
    better: 'higher',
    lib: 'numpy',
    forms: [
      ['alloc', 'before: a @ b'],
      ['out', 'now: np.matmul(a, b, out=c)'],
    ],
  },
];

export const peerFormsBench: Bench = {
  name: 'peer-forms',
  description: 'audit of the peers: each reference before the audit, now, and in the authors’ form (1 thread; only with --only)',
  optional: true,
  async run(ctx) {
    const rows: BenchRow[] = [];
    for (const s of SCRIPTS) {
      ctx.log(`  ${s.script}: ${s.forms.map((f) => f[0]).join(', ')} × ${ctx.rounds} …`);
      const measures: Record<string, () => number | null> = {};
      for (const [form] of s.forms) measures[form] = () => num(runPythonReference(s.script, ['--form', form, ...s.args], [s.lib]), s.key);
      const m = await interleaved(ctx.rounds, measures);
      const before = m[s.forms[0][0]];
      for (const [form, what] of s.forms) {
        const v = m[form];
        if (v == null) continue;
        const gain = before == null || form === s.forms[0][0] ? null : s.better === 'higher' ? v / before : before / v;
        rows.push({
          bench: 'peer-forms',
          case: `${s.script} --form ${form}`,
          unit: s.unit,
          better: s.better,
          peer: { name: what, value: v },
          note: gain == null ? undefined : `${gain.toFixed(2)}× as fast as before the audit`,
        });
      }
    }
    return rows;
  },
};
