import { join, resolve } from 'node:path';
import { OU_DEMO_DEFAULTS, simulateOu } from '@wmkit/analysis';
import type { Command } from 'commander';
import { parseIntOption } from '../options';
import { startRun } from '../run-helpers';
import { convertLif } from './ei-rnn/convert';
import { analyzeTimescales } from './ei-rnn/timescales';
import { trainEiRnn } from './ei-rnn/train';
import { collectInfo, formatInfo } from './info';

export { OU_DEMO_DEFAULTS, type OuDemoConfig, simulateOu } from '@wmkit/analysis';

/** The OU check as a run directory `out` (`demo.ou`): traces, autocorrelation and the fitted τ. */
export async function runOuCheck(out: string, seed: number, force = false): Promise<void> {
  const cfg = { ...OU_DEMO_DEFAULTS, seed };
  console.log(
    `\n▶ Ornstein–Uhlenbeck check: ${cfg.batch} processes, τ = ${cfg.tauMs} ms, ${cfg.steps} steps of ${cfg.dtMs} ms, seed ${cfg.seed}`,
  );
  const run = await startRun(out, { kind: 'demo.ou', config: cfg, seed: cfg.seed, force });
  const t0 = performance.now();
  const { traces, acf, tauHatMs } = simulateOu(cfg);
  run.setTiming('simulate', (performance.now() - t0) / 1000);
  run.writeArray('ou_traces', { data: traces, shape: [8, cfg.steps] }, { description: 'first 8 OU trajectories [trajectory, step]' });
  run.writeArray('autocorrelation', { data: acf, shape: [acf.length] }, { description: 'autocorrelation at lags 0..3τ in steps of dt' });
  const lagTau = Math.round(cfg.tauMs / cfg.dtMs);
  run.complete({ tauHatMs, acfAtTau: acf[lagTau], expectedAcfAtTau: Math.exp(-1) });
  const exact = Math.exp(-1).toFixed(3);
  console.log(
    `  autocorrelation at lag τ: ${acf[lagTau].toFixed(3)} (exact: e^-1 = ${exact}); fitted τ ${tauHatMs.toFixed(1)} ms (true ${cfg.tauMs} ms)`,
  );
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'end-to-end check of this installation: `wmkit info`, a seeded tensor computation with a known answer, then a quick E/I RNN pipeline ' +
        '(train on DMS, convert to spiking, neuronal timescales), all written to run directories',
    )
    .option('--out <dir>', 'directory for the demo runs', 'runs/demo')
    .option('--seed <n>', 'random seed', parseIntOption('seed', 0), OU_DEMO_DEFAULTS.seed)
    .option('--quick', 'only the installation check (info and the OU computation)')
    .option('--force', 'replace the runs of an earlier demo in --out')
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit demo\n  wmkit demo --quick --out /tmp/wmkit-demo\n' +
        '\nWrites: <out>/ou (run.json, ou_traces.npy, autocorrelation.npy, autocorrelation.svg); without --quick also\n' +
        '        <out>/dms-1 (as train ei-rnn), <out>/dms-1/lif (as convert lif), <out>/dms-1/timescales (as analyze timescales)',
    )
    .action(async (opts: { out: string; seed: number; quick?: boolean; force?: boolean }) => {
      const t0 = performance.now();
      const info = await collectInfo();
      console.log(formatInfo(info));
      await runOuCheck(join(opts.out, 'ou'), opts.seed, opts.force === true);
      if (!opts.quick) {
        const dms = join(opts.out, 'dms-1');
        console.log('');
        let code = await trainEiRnn({ preset: 'kim2021.dms', seed: opts.seed, out: dms, force: opts.force === true });
        if (code === 0) code = await convertLif(dms, { trials: 40, grid: [20, 35, 50], longTrials: 40, force: opts.force === true });
        if (code === 0) code = await analyzeTimescales(dms, { trials: 50 });
        if (code !== 0) {
          process.exitCode = code;
          return;
        }
      }
      console.log(`\n✓ demo complete in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${resolve(opts.out)}`);
      console.log(
        `  every result is a run directory (run.json + .npy + .svg); in Python: numpy.load('${join(opts.out, 'ou', 'autocorrelation.npy')}')`,
      );
      if (!opts.quick)
        console.log(
          `  figures: ${join(opts.out, 'dms-1', 'training.svg')}, ${join(opts.out, 'dms-1', 'lif', 'lambda_search.svg')}, ${join(opts.out, 'dms-1', 'timescales', 'tau_histogram.svg')}`,
        );
    });
}
