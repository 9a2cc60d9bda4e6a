/**
 * `wmkit reproduce kurtkaya2025 --toy rank2 --out runs/kk-toy`: the toy models of Kurtkaya et al.
 * (2025) — the two normal forms a rank-2 RNN's latent dynamics take — computed by
 * `kurtkaya2025Toy` of `@wmkit/papers`; this file writes the run directory and prints the table.
 */
import { kurtkayaToySvg, textTable } from '@wmkit/figures';
import { kurtkaya2025Toy } from '@wmkit/papers';
import { UsageError } from '../../errors';
import { startRun } from '../../run-helpers';
import { reproduceKurtkayaRank2Trained } from './rank2-trained';

/** The toy models' run: theory vs simulation of the critical learning rates, flow fields. */
export async function reproduceKurtkayaToy(o: {
  toy: string;
  out: string;
  force?: boolean;
  delays?: number[];
  trained?: boolean;
  lrs?: number[];
  seeds?: number;
  epochs?: number;
}): Promise<number> {
  if (o.toy !== 'rank2') throw new UsageError(`--toy '${o.toy}' is not a toy model; use --toy rank2`);
  if (o.trained) return reproduceKurtkayaRank2Trained(o);
  const delays = o.delays ?? [10, 20, 40, 80];
  for (const d of delays)
    if (!(Number.isInteger(d) && d >= 2)) throw new UsageError(`--delays ${d}: the toy's delays are steps, integers ≥ 2`);
  const run = await startRun(o.out, {
    kind: 'reproduce.kurtkaya2025.toy',
    config: { toy: 'rank2', delays, Tresp: 10 },
    seed: null,
    force: o.force,
  });
  const t0 = performance.now();
  const t = kurtkaya2025Toy({ delays, Tresp: 10 });
  run.addFigure('toy', kurtkayaToySvg(t), 'flow fields of both toys; critical learning rate vs delay, theory vs simulation');
  for (const r of t.rows) run.appendMetrics(r);
  const rows = [
    ['toy', 'T (steps)', 'η_c paper', 'η_c closed form (simulated toy)', 'η_c simulation', 'simulation / closed form'],
    ...t.rows.map((r) => [
      r.mechanism,
      String(r.T),
      r.theory.toExponential(3),
      r.simulationTheory.toExponential(3),
      r.simulated.toExponential(3),
      (r.simulated / r.simulationTheory).toFixed(4),
    ]),
  ];
  const summary = `Slope of log η_c on log T (simulation): slow point ${t.exponents['slow-point'].toFixed(3)} (paper −5 at fixed T_resp, −4 with T_resp ∝ T), limit cycle ${t.exponents['limit-cycle'].toFixed(3)} (paper −3, −2).`;
  run.writeFile('report.md', `# Toy models of Kurtkaya et al. 2025\n\n${summary}\n\n${textTable(rows)}\n\n![toy](toy.svg)\n`);
  run.complete({
    slopeSlowPoint: t.exponents['slow-point'],
    slopeLimitCycle: t.exponents['limit-cycle'],
    seconds: (performance.now() - t0) / 1000,
  });
  console.log(`${textTable(rows)}\n\n${summary}\n\n✓ ${run.path('toy.svg')}, report.md`);
  return 0;
}
