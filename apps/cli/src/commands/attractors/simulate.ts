/**
 * `wmkit simulate attractor --model bump --trials 16000 --out runs/bump`
 *
 * Simulates one of the Wimmer et al. 2014 ring models for many trials (cues balanced over the 8
 * positions) on all cores, and saves the decoded responses, delay rates, decoded angle over time,
 * and full rate traces of a few trials, with a bump heat map, the error histogram and the
 * diffusion of the decoded angle. The config (`RingRunConfig`) and its checks are
 * @wmkit/attractor-models'; the summary and outputs @wmkit/papers' (`summarizeRingRun`).
 */
import {
  CUE_SPACING_DEG,
  checkRingDelay,
  cueIndicesFromText,
  estimateRingSimulationBytes,
  parseRingRunConfig,
  type RingRunConfig,
  RingRunError,
  ringModelNameOf,
  ringModelNames,
  ringRunBase,
  ringRunFromRecorded,
} from '@wmkit/attractor-models';
import { ringRunFigures } from '@wmkit/figures';
import { ringRunSummaryLine } from '@wmkit/papers';
import { defaultWorkers, simulateRingRun } from '@wmkit/papers/node';
import { UsageError } from '../../errors';
import { type ConfigOptionValues, printConfigIfAsked, resolveCommandConfig, usage } from '../../options';
import { Progress } from '../../progress';
import { checkMemory, startRun, writeOutputs } from '../../run-helpers';

export interface SimulateAttractorOptions extends ConfigOptionValues {
  model?: string;
  trials?: number;
  delay?: number;
  out?: string;
  seed?: number;
  traces?: number;
  /** Cue angles in degrees, each one of the 8 cue positions; trials cycle through them (default: all 8, balanced). */
  cues?: string;
  workers?: number;
  force?: boolean;
  /** The wasm ring kernel (default) or TensorFlow.js ops on the selected backend. */
  engine?: 'kernels' | 'tfjs';
}

export const ATTRACTOR_SIMULATE_KIND = 'attractor.simulate';

/** Runs `f`; a ring run's protocol or field problem is a usage error (exit code 2). */
const ring = <T>(f: () => T): T => usage(f, [RingRunError]);

/** `--cues 0,90,180` → cue indices (`cueIndicesFromText`). */
export const parseCueAngles = (list: string): number[] => ring(() => cueIndicesFromText(list));

/** `--model`: one of the published ring models. */
export const checkRingModelName = (name: string | undefined): string => ring(() => ringModelNameOf(name));

/** `--delay` in ms (`checkRingDelay`): ≥ 0 and, with `dtMs`, a whole number of steps. */
export const checkDelay = (delay: number, dtMs?: number): number => ring(() => checkRingDelay(delay, dtMs));

/** The resolved config and seed of `simulate attractor`: --model (or --from) → --config → --set → flags. */
export function resolveAttractorRun(o: SimulateAttractorOptions): { config: RingRunConfig; seed: number } {
  if (!o.model && !o.from) throw new UsageError(`--model is required: one of ${ringModelNames().join(', ')} (or --from <run>)`);
  const set = [...(o.set ?? [])];
  if (o.model && o.from) set.push(`name=${checkRingModelName(o.model)}`);
  if (o.trials != null) set.push(`trials=${o.trials}`);
  if (o.delay != null) set.push(`delayMs=${checkDelay(o.delay)}`);
  if (o.traces != null) set.push(`traces=${o.traces}`);
  if (o.workers != null) set.push(`workers=${o.workers}`);
  if (o.cues != null) set.push(`cuesDeg=${JSON.stringify(parseCueAngles(o.cues).map((c) => c * CUE_SPACING_DEG))}`);
  const r = ring(() =>
    resolveCommandConfig(
      { ...o, set },
      {
        base: ringRunBase(o.model ? checkRingModelName(o.model) : 'bump'),
        parse: parseRingRunConfig,
        kinds: [ATTRACTOR_SIMULATE_KIND],
        fromRecorded: ringRunFromRecorded,
      },
    ),
  );
  return { config: r.config, seed: o.seed ?? r.seed ?? 1 };
}

export async function simulateAttractor(o: SimulateAttractorOptions): Promise<number> {
  const { config, seed } = resolveAttractorRun(o);
  if (printConfigIfAsked(o, config)) return 0;
  const { trials, delayMs: delay, traces, name } = config;
  // the threads actually used, so that --from reruns the same batches (see RingRunConfig)
  const workers = defaultWorkers(trials, config.workers ?? undefined);
  checkMemory(
    estimateRingSimulationBytes(config, { trials, delayMs: delay, traceTrials: traces }),
    'reduce --trials, or run it as a sweep over --seed with fewer trials each',
  );
  const run = await startRun(o.out ?? `runs/${name}`, {
    kind: ATTRACTOR_SIMULATE_KIND,
    config: { ...config, workers },
    seed,
    preset: `wimmer2014.${name}`,
    force: o.force,
  });
  const engine = o.engine ?? 'kernels';
  run.setMetrics({ engine }); // which implementation simulated it: the wasm kernel or TensorFlow.js ops
  console.log(
    `▶ ${name} ring model (Wimmer et al. 2014): ${trials.toLocaleString('en-US')} trials, ${delay}-ms delay, ${engine} engine → ${run.dir}`,
  );
  const bar = new Progress('  simulating', trials, 'trials');
  const r = await simulateRingRun({ ...config, workers }, seed, { engine, onProgress: (f) => bar.update(f * trials) });
  const { seconds, outputs } = r;
  bar.finish(trials, { 'trials/s': Math.round(trials / seconds) });
  writeOutputs(run, outputs, ringRunFigures(name, r.sim, r.summary));
  run.complete({ trials, seconds, trialsPerSecond: trials / seconds, ...outputs.metrics });
  console.log(
    `✓ ${trials.toLocaleString('en-US')} trials in ${seconds.toFixed(1)} s (${(trials / seconds).toFixed(0)} trials/s): ${ringRunSummaryLine(r.summary, delay)}`,
  );
  return 0;
}
