/**
 * Two views of a phase diagram's networks by class (Kurtkaya et al. 2025, Fig. 4; the authors'
 * `plot_nopost.py`):
 *
 * - the power ratio of the autonomous run (share of the 2-D spectrum within radius 3 of the
 *   centre) of the networks classified limit cycle and slow-point manifold, as histograms with
 *   the authors' fits — exponential for limit cycles, Gaussian for slow points — and the
 *   threshold ½ that separates them;
 * - the loss per epoch averaged over the networks of each class (mean ± SEM) at one learning rate.
 */
import type { Kurtkaya2025Result } from './kurtkaya2025';
import { STM_CLASS } from './kurtkaya2025-network';

/** The power ratios of limit-cycle and slow-point networks, their histograms and fitted densities. */
export interface Kurtkaya2025PsdRatios {
  lc: number[];
  sp: number[];
  /** Histogram bins of width 0.02 over [0, 1]: bin start and the density (integrates to 1 per class). */
  histogram: { x0: number; x1: number; cls: 'limit cycle' | 'slow-point manifold'; density: number }[];
  /** Exponential fit of the limit cycles' ratios (rate 1/mean) and Gaussian fit of the slow points' (mean, SD). */
  lcRate: number;
  spMean: number;
  spSd: number;
  /** The fitted densities over [0, 1] every 0.01. */
  curves: { x: number; cls: 'limit cycle' | 'slow-point manifold'; density: number }[];
}

/** The power ratios by class (only networks with a ratio: learned and classified). */
export function kurtkaya2025PsdRatios(res: Pick<Kurtkaya2025Result, 'classes' | 'psdRatios'>): Kurtkaya2025PsdRatios {
  const lc: number[] = [];
  const sp: number[] = [];
  res.classes.forEach((c, i) => {
    const r = res.psdRatios[i];
    if (r == null || !Number.isFinite(r)) return;
    if (c === STM_CLASS['limit-cycle']) lc.push(r);
    else if (c === STM_CLASS['slow-point']) sp.push(r);
  });
  const bins = 50;
  const width = 1 / bins;
  const histogram: Kurtkaya2025PsdRatios['histogram'] = [];
  for (const [cls, v] of [
    ['limit cycle', lc],
    ['slow-point manifold', sp],
  ] as const) {
    if (!v.length) continue;
    const counts = new Array(bins).fill(0);
    for (const r of v) counts[Math.min(bins - 1, Math.max(0, Math.floor(r / width)))]++;
    counts.forEach((n, b) => {
      histogram.push({ x0: b * width, x1: (b + 1) * width, cls, density: n / (v.length * width) });
    });
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const lcRate = lc.length ? 1 / mean(lc) : Number.NaN;
  const spMean = sp.length ? mean(sp) : Number.NaN;
  // the maximum-likelihood SD (scipy's norm.fit), as the authors
  const spSd = sp.length ? Math.sqrt(sp.reduce((a, r) => a + (r - spMean) ** 2, 0) / sp.length) : Number.NaN;
  const curves: Kurtkaya2025PsdRatios['curves'] = [];
  for (let k = 0; k <= 100; k++) {
    const x = k / 100;
    if (lc.length) curves.push({ x, cls: 'limit cycle', density: lcRate * Math.exp(-lcRate * x) });
    if (sp.length && spSd > 0)
      curves.push({
        x,
        cls: 'slow-point manifold',
        density: Math.exp(-(((x - spMean) / spSd) ** 2) / 2) / (spSd * Math.sqrt(2 * Math.PI)),
      });
  }
  return { lc, sp, histogram, lcRate, spMean, spSd, curves };
}

/** The class names of the loss-by-class plot (the not-learned count holds the unstable ones, as the authors). */
export type LossClassName = 'not learned' | 'limit cycle' | 'slow-point manifold';

/** The loss per epoch per class at one learning rate: mean ± SEM over its networks. */
export interface Kurtkaya2025LossByClass {
  lr: number;
  /** Networks per class at that learning rate. */
  counts: Record<LossClassName, number>;
  curves: { epoch: number; cls: LossClassName; mean: number; lo: number; hi: number }[];
}

const CLASS_NAME: Record<number, LossClassName> = {
  [STM_CLASS['not-learned']]: 'not learned',
  [STM_CLASS.unstable]: 'not learned',
  [STM_CLASS['limit-cycle']]: 'limit cycle',
  [STM_CLASS['slow-point']]: 'slow-point manifold',
};

/**
 * The loss per epoch averaged per class, at `lr` (default: the learning rate whose networks are
 * spread most evenly over the three classes, i.e. the largest entropy of the class fractions),
 * every `every` epochs; null when no network has a loss.
 */
export function kurtkaya2025LossByClass(
  res: Pick<Kurtkaya2025Result, 'classes' | 'losses' | 'networks' | 'lrs'>,
  o: { lr?: number; every?: number } = {},
): Kurtkaya2025LossByClass | null {
  const every = o.every ?? 5;
  const entropy = (lr: number) => {
    const n: Record<string, number> = {};
    let total = 0;
    res.networks.forEach((net, i) => {
      const c = res.classes[i];
      if (net.lr !== lr || c == null || !res.losses[i]) return;
      n[CLASS_NAME[c]] = (n[CLASS_NAME[c]] ?? 0) + 1;
      total++;
    });
    return Object.values(n).reduce((h, k) => h - (k / total) * Math.log(k / total), 0);
  };
  const lr = o.lr ?? res.lrs.reduce((best, l) => (entropy(l) > entropy(best) ? l : best), res.lrs[0]);
  const by: Record<LossClassName, Float32Array[]> = { 'not learned': [], 'limit cycle': [], 'slow-point manifold': [] };
  res.networks.forEach((net, i) => {
    const c = res.classes[i];
    const loss = res.losses[i];
    if (net.lr === lr && c != null && loss) by[CLASS_NAME[c]].push(loss);
  });
  const curves: Kurtkaya2025LossByClass['curves'] = [];
  for (const cls of Object.keys(by) as LossClassName[]) {
    const v = by[cls];
    if (!v.length) continue;
    const E = Math.min(...v.map((l) => l.length));
    for (let e = 0; e < E; e += every) {
      const xs = v.map((l) => l[e]).filter((x) => Number.isFinite(x));
      if (!xs.length) continue;
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)) : 0;
      const sem = sd / Math.sqrt(xs.length);
      curves.push({ epoch: e, cls, mean: m, lo: m - sem, hi: m + sem });
    }
  }
  if (!curves.length) return null;
  return {
    lr,
    counts: {
      'not learned': by['not learned'].length,
      'limit cycle': by['limit cycle'].length,
      'slow-point manifold': by['slow-point manifold'].length,
    },
    curves,
  };
}
