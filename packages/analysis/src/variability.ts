/**
 * Trial-to-trial variability of spike counts.
 *
 *   Fano factor  F = Var(n) / E(n)   across trials, per unit and window
 *
 * Mean-matching (Churchland et al. 2010) compares Fano factors between conditions whose mean
 * rates differ: units are subsampled so the distributions of mean counts match across the
 * groups (greatest common distribution of histogram bins), with a seeded Rng.
 *
 * @example
 * ```ts
 * const F = fanoFactor(counts);            // counts [trials, units, windows] → [units, windows]
 * const counts = binSpikeCounts(spikes, { binMs: 100 });
 * ```
 */
import { assertShape, type NDArray, type Rng, ShapeError } from '@wmkit/tensor';

/** Var/mean across trials, [units × windows] (NaN where the mean is 0). Sample variance (n − 1). */
export function fanoFactor(counts: NDArray): NDArray<Float64Array> {
  const { trials, units, windows } = assertShape('fanoFactor: counts', counts.shape, ['trials', 'units', 'windows']);
  if (trials < 2) throw new ShapeError(`fanoFactor: needs at least 2 trials, got ${trials}`);
  const out = new Float64Array(units * windows);
  for (let u = 0; u < units; u++) {
    for (let w = 0; w < windows; w++) {
      let s = 0;
      let s2 = 0;
      for (let r = 0; r < trials; r++) {
        const v = counts.data[(r * units + u) * windows + w];
        s += v;
        s2 += v * v;
      }
      const mean = s / trials;
      const variance = (s2 - trials * mean * mean) / (trials - 1);
      out[u * windows + w] = mean > 0 ? variance / mean : Number.NaN;
    }
  }
  return { data: out, shape: [units, windows] };
}

/** Mean and variance across trials per unit (for mean-matching). */
export function countMoments(counts: ArrayLike<number>[]): { means: number[]; variances: number[] } {
  const means: number[] = [];
  const variances: number[] = [];
  for (const c of counts) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < c.length; i++) {
      s += c[i];
      s2 += c[i] * c[i];
    }
    const m = s / c.length;
    means.push(m);
    variances.push(c.length > 1 ? (s2 - c.length * m * m) / (c.length - 1) : Number.NaN);
  }
  return { means, variances };
}

/**
 * Mean-matched Fano factor of several groups (e.g. accurate vs inaccurate trials): each group is
 * a list of per-unit count vectors. Units are drawn so that every group's histogram of mean
 * counts equals the common (bin-wise minimum) histogram; the Fano factor of a group is then the
 * slope of variance vs mean through the origin (weighted regression, Churchland et al. 2010),
 * averaged over `repeats` random draws.
 */
export function meanMatchedFano(groups: ArrayLike<number>[][], rng: Rng, opts: { bins?: number; repeats?: number } = {}): number[] {
  const nBins = opts.bins ?? 10;
  const repeats = opts.repeats ?? 50;
  const moments = groups.map((g) => countMoments(g));
  const allMeans = moments.flatMap((m) => m.means).filter((v) => v > 0);
  if (!allMeans.length) return groups.map(() => Number.NaN);
  const maxMean = Math.max(...allMeans);
  const binOf = (m: number) => Math.min(nBins - 1, Math.floor((m / maxMean) * nBins));
  const byBin = moments.map((m) => {
    const bins: number[][] = Array.from({ length: nBins }, () => []);
    m.means.forEach((v, i) => {
      if (v > 0 && Number.isFinite(m.variances[i])) bins[binOf(v)].push(i);
    });
    return bins;
  });
  const common = Array.from({ length: nBins }, (_, b) => Math.min(...byBin.map((g) => g[b].length)));
  const out = groups.map(() => 0);
  for (let rep = 0; rep < repeats; rep++) {
    byBin.forEach((bins, g) => {
      let sxy = 0;
      let sxx = 0;
      for (let b = 0; b < nBins; b++) {
        const pick = rng.shuffle(bins[b].slice()).slice(0, common[b]);
        for (const i of pick) {
          sxy += moments[g].means[i] * moments[g].variances[i];
          sxx += moments[g].means[i] * moments[g].means[i];
        }
      }
      out[g] += sxx > 0 ? sxy / sxx : Number.NaN;
    });
  }
  return out.map((v) => v / repeats);
}
