/**
 * Compte, Brunel, Goldman-Rakic & Wang 2000: a spiking ring of pyramidal cells and interneurons
 * holds a cue's angle as a bump of persistent activity through a delay. Reduced: 512 E + 128 I
 * (the `ndx3` preset at half size), 2 trials, 1-s delay, no distractors. Headline: the decoded
 * memory at the end of the delay stays near the cue, on a quiet background.
 */
import { compteConfig } from '@wmkit/attractor-models';
import { compte2000 } from '@wmkit/papers';

const config = compteConfig('ndx3', { NE: 512, NI: 128, protocol: { delayMs: 1000 } });
const r = await compte2000({ config, trials: 2, distractors: null, seed: 1 });
const s = r.summary;
const errors = Array.from(s.endErrorDeg, (e) => Math.abs(e));
console.log(
  `Compte 2000 (${config.NE} E + ${config.NI} I, ${config.protocol.delayMs}-ms delay): end-of-delay error ${errors.map((e) => `${e.toFixed(0)}°`).join(', ')}; baseline E ${s.baselineHz.E.toFixed(2)} Hz, I ${s.baselineHz.I.toFixed(2)} Hz; bump peak ${s.bump.peakHz.toFixed(1)} Hz, FWHM ${s.bump.fwhmDeg.toFixed(0)}°`,
);
if (!errors.some((e) => e < 20) || !(s.baselineHz.E < 2)) {
  console.error('expected a bump within 20° of the cue in at least one trial, on a baseline below 2 Hz');
  process.exit(1);
}
