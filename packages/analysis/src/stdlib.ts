/**
 * The @stdlib functions this package calls, loaded on first use. Each @stdlib package is a
 * CommonJS tree of hundreds of small modules: importing the four at start-up cost every program
 * that imports @wmkit/analysis ~0.45 s of CPU (1,800 module loads), though only the hypothesis
 * tests and the scaling-fit interval call them. `createRequire` is how an ES module loads CommonJS
 * synchronously, on demand (a dynamic `import()` would make these functions async).
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);
const cache = new Map<string, unknown>();
function lazy<T>(id: string): T {
  if (!cache.has(id)) cache.set(id, load(id));
  return cache.get(id) as T;
}

/** A function that loads the CommonJS module `id` on its first call and then calls it (same signature). */
function onDemand<F>(id: string): F {
  return ((...args: unknown[]) => lazy<(...a: unknown[]) => unknown>(id)(...args)) as unknown as F;
}

type TTest = typeof import('@stdlib/stats-ttest');
type Wilcoxon = typeof import('@stdlib/stats-wilcoxon');
type PCorrTest = typeof import('@stdlib/stats-pcorrtest');
type TQuantile = typeof import('@stdlib/stats-base-dists-t-quantile');

/** @stdlib/stats-ttest, loaded on first call. */
export const ttest: TTest = onDemand<TTest>('@stdlib/stats-ttest');
/** @stdlib/stats-wilcoxon, loaded on first call. */
export const wilcoxon: Wilcoxon = onDemand<Wilcoxon>('@stdlib/stats-wilcoxon');
/** @stdlib/stats-pcorrtest, loaded on first call. */
export const pcorrtest: PCorrTest = onDemand<PCorrTest>('@stdlib/stats-pcorrtest');
/** @stdlib/stats-base-dists-t-quantile, loaded on first call. */
export const tQuantile: TQuantile = onDemand<TQuantile>('@stdlib/stats-base-dists-t-quantile');
