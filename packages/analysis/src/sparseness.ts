/**
 * Sparse codes: how sparse, how decorrelated, and — for the bars benchmark of Földiák 1990 —
 * which input components the units have come to represent. Arrays are row-major
 * [samples, units] unless said otherwise.
 */
import { ShapeError } from '@wmkit/tensor';

function check2d(data: ArrayLike<number>, rows: number, cols: number, what: string): void {
  if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows > 0 && cols > 0))
    throw new ShapeError(`${what}: shape [${rows}, ${cols}] must be positive integers`);
  if (data.length !== rows * cols)
    throw new ShapeError(`${what}: ${data.length} values do not fill shape [${rows}, ${cols}] (${rows * cols})`);
}

/**
 * Treves–Rolls sparseness a = ⟨r⟩²/⟨r²⟩ (1/n for a one-hot code, 1 for a dense uniform code),
 * averaged over samples (population sparseness) — or over units with `over: 'units'`
 * (lifetime sparseness). Rows with no activity are skipped.
 */
export function trevesRollsSparseness(
  responses: ArrayLike<number>,
  samples: number,
  units: number,
  over: 'samples' | 'units' = 'samples',
): number {
  check2d(responses, samples, units, 'trevesRollsSparseness');
  const [outer, inner] = over === 'samples' ? [samples, units] : [units, samples];
  const at = over === 'samples' ? (o: number, i: number) => responses[o * units + i] : (o: number, i: number) => responses[i * units + o];
  let total = 0;
  let count = 0;
  for (let o = 0; o < outer; o++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < inner; i++) {
      const r = at(o, i);
      s += r;
      s2 += r * r;
    }
    if (s2 > 0) {
      total += (s / inner) ** 2 / (s2 / inner);
      count++;
    }
  }
  return count ? total / count : Number.NaN;
}

/** Mean activity of each unit (for binary codes, its firing probability). */
export function unitMeans(responses: ArrayLike<number>, samples: number, units: number): Float64Array {
  check2d(responses, samples, units, 'unitMeans');
  const m = new Float64Array(units);
  for (let s = 0; s < samples; s++) for (let u = 0; u < units; u++) m[u] += responses[s * units + u];
  for (let u = 0; u < units; u++) m[u] /= samples;
  return m;
}

/**
 * Decorrelation of a code: the mean |Pearson correlation| over distinct unit pairs, and the mean
 * of p_ij − p_i p_j (the co-activity in excess of independence that Földiák's anti-Hebbian rule
 * drives to zero). Units that never vary are left out of the correlation.
 */
export function codeDecorrelation(
  responses: ArrayLike<number>,
  samples: number,
  units: number,
): { meanAbsCorrelation: number; meanExcessCoactivity: number } {
  check2d(responses, samples, units, 'codeDecorrelation');
  const m = unitMeans(responses, samples, units);
  const cov = new Float64Array(units * units);
  for (let s = 0; s < samples; s++) {
    const row = s * units;
    for (let i = 0; i < units; i++) {
      const di = responses[row + i] - m[i];
      if (di === 0) continue;
      for (let j = i; j < units; j++) cov[i * units + j] += di * (responses[row + j] - m[j]);
    }
  }
  let absCorr = 0;
  let nCorr = 0;
  let excess = 0;
  let nPairs = 0;
  for (let i = 0; i < units; i++) {
    for (let j = i + 1; j < units; j++) {
      const c = cov[i * units + j] / samples;
      excess += c; // E[y_i y_j] − m_i m_j
      nPairs++;
      const vi = cov[i * units + i];
      const vj = cov[j * units + j];
      if (vi > 0 && vj > 0) {
        absCorr += Math.abs(cov[i * units + j] / Math.sqrt(vi * vj));
        nCorr++;
      }
    }
  }
  return { meanAbsCorrelation: nCorr ? absCorr / nCorr : Number.NaN, meanExcessCoactivity: nPairs ? excess / nPairs : Number.NaN };
}

/** Which input components (e.g. the lines of the bars task) a binary code represents one-to-one. */
export interface ComponentCoding {
  /** Components (e.g. bars) represented by exactly one unit that responds to no other component. */
  represented: number;
  /** For each component, the unit that represents it, or −1. */
  unitFor: Int32Array;
  /** For each component, how many units respond to it when shown alone. */
  respondersPerComponent: Int32Array;
}

/**
 * Which input components a code represents: `responses` is [components, units], the binary
 * response of every unit to each component shown alone. A component is represented when
 * exactly one unit responds to it and that unit responds to no other component (a factorial,
 * one-unit-per-line code gives `represented` = number of components).
 */
export function componentsRepresented(responses: ArrayLike<number>, components: number, units: number): ComponentCoding {
  check2d(responses, components, units, 'componentsRepresented');
  const unitFor = new Int32Array(components).fill(-1);
  const responders = new Int32Array(components);
  const linesPerUnit = new Int32Array(units);
  for (let c = 0; c < components; c++)
    for (let u = 0; u < units; u++)
      if (responses[c * units + u] > 0.5) {
        responders[c]++;
        linesPerUnit[u]++;
      }
  let represented = 0;
  for (let c = 0; c < components; c++) {
    if (responders[c] !== 1) continue;
    let u = 0;
    while (responses[c * units + u] <= 0.5) u++;
    if (linesPerUnit[u] === 1) {
      unitFor[c] = u;
      represented++;
    }
  }
  return { represented, unitFor, respondersPerComponent: responders };
}
