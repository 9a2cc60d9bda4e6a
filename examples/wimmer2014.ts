/**
 * Wimmer et al. 2014: the bump, discrete and decaying ring models of spatial working memory,
 * their behavioural errors, and the tuning bias of surrogate recordings (a neuron's late-delay rate
 * follows the remembered, not the cued, angle — the bump model's signature). Reduced: 1,632
 * trials per model (the paper: 16,000), 1-s delay, 20 shuffles per permutation test.
 * Headline: response SD and tuning bias for the three models.
 */
import { wimmer2014 } from '@wmkit/papers';
import { ringOnWorkers } from '@wmkit/papers/node';

const r = await wimmer2014({ trials: 1632, delayMs: 1000, permutations: 20, seed: 1, simulate: ringOnWorkers(2) });
const deg = (rad: number) => (rad * 180) / Math.PI;
for (const m of r.models) {
  const bias = m.signatures.tuningBiasLate;
  console.log(
    `Wimmer 2014 ${m.model.padEnd(8)}: response SD ${m.responseSdDeg.toFixed(2)}°, late-delay tuning bias ${deg(bias.value).toFixed(2)}° (p ${bias.p.toFixed(3)})`,
  );
}
const bump = r.models.find((m) => m.model === 'bump');
if (!bump || !(bump.signatures.tuningBiasLate.p < 0.05 && bump.signatures.tuningBiasLate.value > 0)) {
  console.error('expected the bump model to show a positive late-delay tuning bias (p < 0.05)');
  process.exit(1);
}
