import { spawnSync } from 'node:child_process';
import { compteConfig, simulateCompte } from '@wmkit/attractor-models';
import { Rng } from '@wmkit/tensor';
import { type Bench, type BenchRow, runPythonReference } from '../harness';

/**
 * The Compte et al. 2000 spiking ring (ndx3 preset, dt 0.05 ms): simulated seconds per wall
 * second of one trial at 1024 E + 256 I for wmkit's TypeScript engine and for Brian2 (Cython)
 * written two ways — with Synapses objects (as the neurodynex3 exercise) and exploiting the ring
 * (FFT convolution in a network_operation); and the peak memory of each at 2048 E + 512 I.
 */
export const compte2000Bench: Bench = {
  name: 'compte2000',
  description: 'Compte 2000 spiking ring: simulated s per wall s at 1024+256, memory at 2048+512, vs Brian2 (Synapses; FFT)',
  async run(ctx) {
    const simS = ctx.quick ? 0.2 : 0.5;
    const rows: BenchRow[] = [];
    const c = compteConfig('ndx3', { protocol: { preCueMs: simS * 1000, cueMs: 0, delayMs: 0 } });
    simulateCompte(compteConfig('ndx3', { protocol: { preCueMs: 20, cueMs: 0, delayMs: 0 } }), { trials: 1 }, new Rng(1)); // warm-up
    const t0 = performance.now();
    simulateCompte(c, { trials: 1, rasterTrials: 0 }, new Rng(1));
    const ours = simS / ((performance.now() - t0) / 1000);
    const brian: Record<string, Record<string, string | number> | null> = {};
    const reasons: Record<string, string> = {};
    for (const form of ['synapses', 'fft']) {
      ctx.log(`  Brian2 (${form}) at 1024+256 (the first run compiles) …`);
      const r = runPythonReference(
        'compte2000_brian2.py',
        ['--form', form, '--NE', '1024', '--NI', '256', '--bench', String(simS)],
        ['brian2'],
        { threads: 1, timeoutMs: 1_800_000 },
      );
      brian[form] = r.result;
      if (!r.result) reasons[form] = r.reason ?? 'failed';
    }
    const ref = (form: string, name: string) => (brian[form] ? { name, value: Number(brian[form].sim_s_per_wall_s) } : undefined);
    for (const [form, name] of [
      ['synapses', 'Brian2 Synapses (Cython)'],
      ['fft', 'Brian2 ring/FFT (Cython)'],
    ]) {
      rows.push({
        bench: 'compte2000',
        case: `1 trial, 1024 E + 256 I, ${simS} s simulated`,
        backend: 'TypeScript engine',
        unit: 'simulated s/s',
        better: 'higher',
        wmkit: { name: 'wmkit', value: ours, allNote: 'one trial runs on one thread' },
        peer: ref(form, name),
        note: brian[form] ? undefined : `${name}: ${reasons[form]}`,
      });
    }
    // memory at the paper's size: a fresh process each, peak resident set
    const memS = 0.05;
    const script = `import('@wmkit/attractor-models').then(async (m) => { const { Rng } = await import('@wmkit/tensor');
      m.simulateCompte(m.compteConfig('paper', { protocol: { preCueMs: ${memS * 1000}, cueMs: 0, delayMs: 0 } }), { trials: 1 }, new Rng(1));
      console.log(JSON.stringify({ max_rss_mb: process.resourceUsage().maxRSS / 1024 })); })`;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: process.cwd() });
    const mem = res.status === 0 ? JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}').max_rss_mb : Number.NaN;
    for (const [form, name] of [
      ['synapses', 'Brian2 Synapses (Cython)'],
      ['fft', 'Brian2 ring/FFT (Cython)'],
    ]) {
      ctx.log(`  Brian2 (${form}) memory at 2048+512 …`);
      const r = runPythonReference(
        'compte2000_brian2.py',
        ['--form', form, '--NE', '2048', '--NI', '512', '--bench', String(memS)],
        ['brian2'],
        { threads: 1, timeoutMs: 1_800_000 },
      );
      rows.push({
        bench: 'compte2000',
        case: '2048 E + 512 I (paper size), peak memory',
        backend: 'TypeScript engine',
        unit: 'MB',
        better: 'lower',
        wmkit: { name: 'wmkit', value: mem },
        peer: r.result ? { name, value: Number(r.result.max_rss_mb) } : undefined,
        note:
          res.status === 0
            ? r.result
              ? undefined
              : `${name}: ${r.reason}`
            : `wmkit memory probe failed: ${res.stderr.trim().split('\n').pop()}`,
      });
    }
    return rows;
  },
};
