/**
 * Fourier transforms of any length (radix-2 Cooley–Tukey, and Bluestein's chirp-z for other
 * lengths), the 2-D transform and fftshift — as numpy.fft / torch.fft compute them (unnormalised
 * forward transform).
 */
import { ShapeError } from '@wmkit/tensor';

/** Complex numbers as parallel arrays of real and imaginary parts. */
export interface Complex {
  re: Float64Array;
  im: Float64Array;
}

function fftPow2(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b] * cr - im[b] * ci;
        const ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

/** Forward DFT X_k = Σ_j x_j e^{−2πi jk/n} of any length. */
export function fft(re: ArrayLike<number>, im?: ArrayLike<number>): Complex {
  const n = re.length;
  const outRe = Float64Array.from(re);
  const outIm = im ? Float64Array.from(im) : new Float64Array(n);
  if (n <= 1) return { re: outRe, im: outIm };
  if ((n & (n - 1)) === 0) {
    fftPow2(outRe, outIm, false);
    return { re: outRe, im: outIm };
  }
  // Bluestein: x_j w_j ⊛ conj(w) with w_j = e^{−πi j²/n}
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const a = (Math.PI * ((j * j) % (2 * n))) / n;
    wr[j] = Math.cos(a);
    wi[j] = -Math.sin(a);
  }
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    ar[j] = outRe[j] * wr[j] - outIm[j] * wi[j];
    ai[j] = outRe[j] * wi[j] + outIm[j] * wr[j];
  }
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  br[0] = wr[0];
  bi[0] = -wi[0];
  for (let j = 1; j < n; j++) {
    br[j] = br[m - j] = wr[j];
    bi[j] = bi[m - j] = -wi[j];
  }
  fftPow2(ar, ai, false);
  fftPow2(br, bi, false);
  for (let k = 0; k < m; k++) {
    const r = ar[k] * br[k] - ai[k] * bi[k];
    ai[k] = ar[k] * bi[k] + ai[k] * br[k];
    ar[k] = r;
  }
  fftPow2(ar, ai, true);
  for (let k = 0; k < n; k++) {
    const r = ar[k] / m;
    const i = ai[k] / m;
    outRe[k] = r * wr[k] - i * wi[k];
    outIm[k] = r * wi[k] + i * wr[k];
  }
  return { re: outRe, im: outIm };
}

/** 2-D DFT of a real rows × cols row-major array. */
export function fft2(data: ArrayLike<number>, rows: number, cols: number): Complex {
  if (data.length !== rows * cols) throw new ShapeError(`fft2: ${data.length} values for ${rows} × ${cols}`);
  const re = new Float64Array(rows * cols);
  const im = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const f = fft(Array.from({ length: cols }, (_, c) => data[r * cols + c]));
    re.set(f.re, r * cols);
    im.set(f.im, r * cols);
  }
  for (let c = 0; c < cols; c++) {
    const f = fft(
      Array.from({ length: rows }, (_, r) => re[r * cols + c]),
      Array.from({ length: rows }, (_, r) => im[r * cols + c]),
    );
    for (let r = 0; r < rows; r++) {
      re[r * cols + c] = f.re[r];
      im[r * cols + c] = f.im[r];
    }
  }
  return { re, im };
}

/** Moves the zero frequency to the centre (numpy.fft.fftshift over both axes). */
export function fftshift2(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(a.length);
  const sr = Math.floor(rows / 2);
  const sc = Math.floor(cols / 2);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[((r + sr) % rows) * cols + ((c + sc) % cols)] = a[r * cols + c];
  return out;
}
