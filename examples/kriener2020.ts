/**
 * Kriener, Chaudhuri & Fiete 2020: a winner-take-all circuit whose inhibition switches on only
 * above a threshold (nWTA) decides among N alternatives in a time that grows as log N (Hick's
 * law), where the conventional WTA fails with noise. Reduced: N = 2, 8, 64, 20 noisy trials each.
 * Headline: the slope of the nWTA's decision time against ln N.
 */
import { kriener2020 } from '@wmkit/papers';

const r = await kriener2020({ sizes: [2, 8, 64], trials: 20, wtaTrials: 4, seed: 1 });
const f = r.fit.nwta;
console.log(
  `Kriener 2020 nWTA with noise: decision time T = ${f.intercept.toFixed(2)} + ${f.slope.toFixed(2)}·ln N (τ; r² ${f.r2.toFixed(2)}, N = ${r.sizes.join(', ')})`,
);
if (!(f.slope > 0)) {
  console.error('expected the decision time to grow with ln N');
  process.exit(1);
}
