/**
 * Kim & Sejnowski 2021: an E/I rate RNN trained on delayed match-to-sample, converted one-to-one
 * into a network of leaky integrate-and-fire neurons. The paper's preset (N 200, Dale's
 * principle, trainable synaptic decay), one seed; the λ search on a shorter grid and fewer
 * trials than the paper's. Headline: rate and spiking DMS accuracy.
 */
import { eiRnnPreset } from '@wmkit/ei-rnn';
import { convertKimModel, trainKimModel } from '@wmkit/papers';
import { initBackend, initKernels } from '@wmkit/tensor';

await initBackend();
await initKernels();
const preset = eiRnnPreset('kim2021.dms');
const recipe = {
  preset: preset.name,
  departures: preset.departures,
  model: preset.model,
  train: preset.train,
  taskVariant: preset.task.variant,
};
const trained = await trainKimModel({ recipe, seed: 1, evalTrials: 100 });
const s = trained.summary;
console.log(`Kim 2021: training ${s.success ? 'reached the stopping rule' : 'did not reach the stopping rule'} after ${s.trials} trials`);
const lif = convertKimModel(trained.model, { seed: 1, grid: [20, 30, 40, 50], trials: 40, longTrials: 40 });
const rate = s.rateAccuracyShortDelay ?? Number.NaN;
const spiking = lif.summary.spikingAccuracyShortDelay;
console.log(
  `rate DMS accuracy ${(100 * rate).toFixed(1)}% (50-ms delay); spiking DMS accuracy ${(100 * spiking).toFixed(1)}% at 1/λ = ${lif.summary.bestInverseScale} (${lif.summary.meanRateHz.toFixed(1)} Hz mean rate)`,
);
if (!(s.success && rate > 0.9 && spiking > 0.75)) {
  console.error('expected a trained network (rate accuracy > 90%) whose LIF conversion keeps > 75% accuracy');
  process.exit(1);
}
