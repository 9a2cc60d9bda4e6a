/**
 * `wmkit reproduce kurtkaya2025 --toy rank2 --trained --out runs/kk-rank2`: rank-2 RNNs of Kurtkaya
 * et al. (2025) trained on the delayed-activation task over delay × learning rate, their latent
 * flow fields, mechanism and critical learning rate (`kurtkaya2025Rank2` of `@wmkit/papers`); this
 * file writes the run directory and prints the table.
 */
import { kurtkayaRank2Svg, textTable } from '@wmkit/figures';
import { KURTKAYA2025_RANK2_GRID, kurtkaya2025Rank2, kurtkaya2025Rank2Lines, kurtkaya2025Rank2Rows } from '@wmkit/papers';
import { UsageError } from '../../errors';
import { startRun } from '../../run-helpers';

/** The trained rank-2 networks' run: one metrics line per network, `rank2_trained.svg`, report.md. */
export async function reproduceKurtkayaRank2Trained(o: {
  out: string;
  force?: boolean;
  delays?: number[];
  lrs?: number[];
  seeds?: number;
  epochs?: number;
}): Promise<number> {
  const g = KURTKAYA2025_RANK2_GRID;
  const delays = o.delays ?? g.delays;
  for (const d of delays)
    if (!(Number.isInteger(d) && d >= 1)) throw new UsageError(`--delays ${d}: the rank-2 networks' delays are steps, integers ≥ 1`);
  const config = { delays, lrs: o.lrs ?? g.lrs, seeds: o.seeds ?? g.seeds, epochs: o.epochs ?? g.epochs, resp: g.resp, N: g.N };
  const run = await startRun(o.out, { kind: 'reproduce.kurtkaya2025.rank2', config, seed: null, force: o.force });
  const t0 = performance.now();
  const res = kurtkaya2025Rank2(config, {
    onNetwork: (row, done, total) => {
      run.appendMetrics(row);
      const crit = row.criticalLr == null ? '' : `, 2/λ_max ${row.criticalLr.toExponential(2)}`;
      console.log(`  [${done}/${total}] T ${row.T}, lr ${row.lr}, seed ${row.seed}: ${row.class}${crit} (${row.epochs} epochs)`);
    },
  });
  run.addFigure(
    'rank2_trained',
    kurtkayaRank2Svg(res),
    'latent flow fields of a slow-point and a limit-cycle network; critical learning rate vs delay by mechanism',
  );
  const lines = kurtkaya2025Rank2Lines(res);
  const table = textTable(kurtkaya2025Rank2Rows(res));
  run.writeFile(
    'report.md',
    `# Trained rank-2 RNNs (Kurtkaya et al. 2025)\n\n${lines.join('\n\n')}\n\nCells: not learned / slow point / limit cycle, % of seeds (median 2/λ_max of the learned).\n\n${table}\n\n![rank-2 networks](rank2_trained.svg)\n`,
  );
  run.complete({
    slowPoint: res.rows.filter((r) => r.class === 'slow-point').length,
    limitCycle: res.rows.filter((r) => r.class === 'limit-cycle').length,
    notLearned: res.rows.filter((r) => r.class === 'not learned').length,
    boundarySlope: res.boundarySlope,
    slopeSlowPoint: res.slopes['slow-point'].slope,
    slopeLimitCycle: res.slopes['limit-cycle'].slope,
    seconds: (performance.now() - t0) / 1000,
  });
  console.log(`${table}\n\n${lines.slice(2).join('\n')}\n\n✓ ${run.path('rank2_trained.svg')}, report.md`);
  return 0;
}
