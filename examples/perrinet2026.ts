/**
 * Perrinet et al. 2026: a recurrent spiking network whose synapses have heterogeneous delays
 * stores spike patterns; a cue (the first D steps of a pattern) makes it replay the rest.
 * The reduced network of the `perrinet2026.small` preset (N 512 instead of 1024, 8 patterns, the
 * same spikes per delay window) after the Hebbian initialisation; `train.steps` adds gradient
 * steps with the F1 loss (minutes each on two cores). Headline: recall F1 (the paper: ≈ 1).
 */
import { hdSnnPreset } from '@wmkit/delay-snn';
import { perrinet2026 } from '@wmkit/papers';
import { initBackend, initKernels } from '@wmkit/tensor';

await initBackend();
await initKernels();
const base = hdSnnPreset('perrinet2026.small');
const config = { ...base, train: { ...base.train, steps: 0 } };
const r = await perrinet2026({ config });
const f1 = r.final.scores.f1;
console.log(
  `Perrinet 2026 (N ${config.N}, D ${config.D}, T ${config.T}, M ${config.M}): recall F1 ${f1.toFixed(3)} after the Hebbian initialisation (precision ${r.final.scores.precision.toFixed(3)}, recall ${r.final.scores.recall.toFixed(3)})`,
);
if (!(f1 > 0.9)) {
  console.error(`expected recall F1 > 0.9, got ${f1.toFixed(3)}`);
  process.exit(1);
}
