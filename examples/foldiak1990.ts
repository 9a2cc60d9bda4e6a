/**
 * Földiák 1990: Hebbian feed-forward weights, anti-Hebbian lateral inhibition and adaptive
 * thresholds learn a sparse code of 8×8 images of random bars, one unit per bar. Reduced: 3
 * seeds of 2,000 presentations. Headline: seeds whose 16 units represent all 16 bars.
 */
import { foldiak1990 } from '@wmkit/papers';

const r = await foldiak1990({ seeds: 3, seed: 1, presentations: 2000 });
console.log(`Földiák 1990: ${r.solved}/${r.seeds.length} seeds represent all 16 bars (median ${r.medianSolvedAt} presentations)`);
if (r.solved < 2) {
  console.error('expected at least 2 of 3 seeds to learn the bars');
  process.exit(1);
}
