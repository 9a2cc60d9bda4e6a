/**
 * `pnpm bench --only sweep`: the sweep runner alone, in interleaved rounds — `wmkit sweep run` of
 * short `train stm-rnn` runs with 1 worker (× all cores' kernel threads), with the default split
 * (one worker per free core: on a busy machine one), and with one worker per core, the latter also
 * on the unbundled worker (`WMKIT_SWEEP_BUNDLE=0`: the start-up before the one-file worker). Each sweep's CPU seconds (this process and its threads), the split the default
 * chose and the load average are in the notes: on a shared machine the wall-clock ratio depends
 * on the share of the cores the sweep gets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepRun } from '@wmkit/cli';
import { ALL_CORES, type Bench, type BenchRow, interleavedRounds, roundRatios } from '../harness';
import { stmRnnSweepCommand } from './stm';

export const sweepBench: Bench = {
  name: 'sweep',
  description: `sweep runs/s: 1 worker vs the default split and ${ALL_CORES} workers; the one-file worker vs the unbundled one`,
  optional: true,
  async run(ctx) {
    const runs = ctx.quick ? 4 : 8;
    const command = stmRnnSweepCommand(200);
    const cpu: Record<string, number[]> = {};
    const loads: number[] = [];
    const splits: string[] = [];
    const sweep = async (key: string, workers: number | undefined, bundle: boolean) => {
      const dir = mkdtempSync(join(tmpdir(), 'wmkit-bench-sweep-'));
      const spec = join(dir, 'spec.json');
      writeFileSync(spec, JSON.stringify({ name: 'bench', command, grid: { delay: [100] }, seeds: runs, out: 'runs' }));
      process.env.WMKIT_SWEEP_BUNDLE = bundle ? '1' : '0';
      loads.push(loadavg()[0]);
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const log = console.log;
      // the sweep's own lines: keep only the split the default chose
      console.log = (line: unknown) => {
        const m = workers == null ? /to run\) on (.*) → /.exec(String(line)) : null;
        if (m?.[1]) splits.push(m[1]);
      };
      try {
        if ((await sweepRun(spec, { workers })) !== 0) return null;
      } finally {
        console.log = log;
        delete process.env.WMKIT_SWEEP_BUNDLE;
      }
      const c = process.cpuUsage(c0);
      (cpu[key] ??= []).push((c.user + c.system) / 1e6);
      const perS = (runs / (performance.now() - t0)) * 1000;
      rmSync(dir, { recursive: true, force: true });
      return perS;
    };
    const { medians, rounds: r } = await interleavedRounds(ctx.rounds, {
      one: () => sweep('one', 1, true),
      auto: () => sweep('auto', undefined, true),
      all: () => sweep('all', ALL_CORES, true),
      allPlain: () => sweep('allPlain', ALL_CORES, false),
    });
    const cpuNote = (k: string) => (cpu[k] ?? []).map((x) => x.toFixed(1)).join(', ');
    const load = `load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads, loadavg()[0]).toFixed(1)}`;
    const rows: BenchRow[] = [];
    for (const [what, one, other] of [
      [`default split (${splits.join('; ')}) vs 1 worker × ${ALL_CORES} kernel threads`, 'one', 'auto'],
      [`${ALL_CORES} workers × 1 vs 1 worker × ${ALL_CORES} kernel threads`, 'one', 'all'],
      [`${ALL_CORES} workers, one-file worker vs unbundled (WMKIT_SWEEP_BUNDLE=0)`, 'allPlain', 'all'],
    ] as const) {
      const a = medians[one] as number;
      const b = medians[other] as number;
      rows.push({
        bench: 'sweep',
        case: `sweep of ${runs} train stm-rnn: ${what}`,
        backend: 'worker threads',
        unit: 'runs/s',
        better: 'higher',
        wmkit: { name: 'sweep', value: a, valueAll: b },
        note: `${a && b ? (b / a).toFixed(2) : '—'}×; per round: ${roundRatios(r[other], r[one], 'higher')}; CPU s per sweep: ${cpuNote(one)} → ${cpuNote(other)}; ${load}`,
      });
    }
    return rows;
  },
};
