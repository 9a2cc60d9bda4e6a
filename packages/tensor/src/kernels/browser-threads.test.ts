import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The kernels' threads in Chromium (playwright-core, headless): Web Workers on the page's shared
// memory where the page is cross-origin isolated, one thread where it is not. Like the viewer's
// browser tests, these run whenever /usr/bin/chromium exists, and .ci/run (which installs
// Chromium and sets WMKIT_REQUIRE_BROWSER=1) cannot skip them.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.WMKIT_REQUIRE_BROWSER === '1') throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);

const here = dirname(fileURLToPath(import.meta.url));

/** The page: a product big enough for the packed kernel and for threads, on 2 threads then on 1. */
const PAGE = `<!doctype html><script type="module">
import { initKernels, kernelInfo, kernelThreadSupport, setKernelThreads } from './kernels.js';
try {
  setKernelThreads(2);
  const k = await initKernels();
  const M = 97, K = 130, P = 75;
  const fill = (n, s) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * s));
  const A = k.from(fill(M * K, 0.37)), B = k.from(fill(P * K, 0.71)), C = k.buffer(M * P);
  const threads = k.threads;
  k.matmulABt(M, K, P, A, B, C);
  const many = C.copy();
  setKernelThreads(1);
  k.matmulABt(M, K, P, A, B, C);
  const one = C.copy();
  let same = true;
  for (let i = 0; i < one.length; i++) if (Object.is(one[i], many[i]) === false) same = false;
  // one element against a plain loop
  let want = 0;
  for (let q = 0; q < K; q++) want += Math.sin((5 * K + q) * 0.37) * Math.sin((7 * K + q) * 0.71);
  window.result = {
    isolated: self.crossOriginIsolated, support: kernelThreadSupport(), threads, same, simd: kernelInfo().simd,
    shared: typeof SharedArrayBuffer !== 'undefined' && k.memory.buffer instanceof SharedArrayBuffer, c57: one[5 * P + 7], want,
  };
} catch (err) {
  window.result = { error: String(err && err.stack || err) };
}
</script>`;

let server: Server;
let base = '';

beforeAll(async () => {
  // the kernels bundled for the browser (they import no TensorFlow.js)
  const out = mkdtempSync(join(tmpdir(), 'wmkit-browser-kernels-'));
  // (esbuild, the bundler under tsup, found through it)
  const esbuild = createRequire(createRequire(import.meta.url).resolve('tsup'))('esbuild') as {
    build(o: Record<string, unknown>): Promise<unknown>;
  };
  await esbuild.build({
    entryPoints: [join(here, 'index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(out, 'kernels.js'),
    logLevel: 'error',
  });
  const js = readFileSync(join(out, 'kernels.js'));
  server = createServer((req, res) => {
    const isolated = req.url?.startsWith('/isolated/');
    const headers: Record<string, string> = isolated
      ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
      : {};
    if (req.url?.endsWith('/kernels.js')) res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(js);
    else if (req.url?.endsWith('/')) res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(PAGE);
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(() => {
  server?.close();
});

describe.skipIf(!haveBrowser)('kernel threads in Chromium', () => {
  // biome-ignore lint/suspicious/noExplicitAny: playwright types are loaded dynamically
  let browser: any;
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  // biome-ignore lint/suspicious/noExplicitAny: the page's result object
  const inPage = async (path: string): Promise<any> => {
    const page = await browser.newPage();
    try {
      await page.goto(base + path);
      await page.waitForFunction(() => (window as { result?: unknown }).result !== undefined, null, { timeout: 60_000 });
      return await page.evaluate(() => (window as { result?: unknown }).result);
    } finally {
      await page.close();
    }
  };

  it('a cross-origin isolated page runs a product on 2 threads (Web Workers), equal to 1 thread bit for bit', async () => {
    const r = await inPage('/isolated/');
    expect(r.error).toBeUndefined();
    expect(r.isolated).toBe(true);
    expect(r.support).toEqual({ ok: true });
    expect(r.threads).toBe(2);
    expect(r.shared).toBe(true);
    // rows of tid 1 are computed only by the worker: equality shows it ran
    expect(r.same).toBe(true);
    expect(Math.abs(r.c57 - r.want)).toBeLessThan(1e-4 * Math.max(1, Math.abs(r.want)));
    // (Chromium ≥ 114 validates relaxed SIMD: the fused multiply-add build, on threads too)
    expect(['relaxed-simd', 'simd128']).toContain(r.simd);
    console.log(`Chromium, isolated page: ${r.threads} threads, ${r.simd}`);
  }, 90_000);

  it('a page that is not isolated falls back to one thread, saying why', async () => {
    const r = await inPage('/plain/');
    expect(r.error).toBeUndefined();
    expect(r.isolated).toBe(false);
    expect(r.support.ok).toBe(false);
    expect(r.support.reason).toMatch(/cross-origin isolated/);
    expect(r.threads).toBe(1);
    expect(r.shared).toBe(false);
    expect(r.same).toBe(true);
    expect(Math.abs(r.c57 - r.want)).toBeLessThan(1e-4 * Math.max(1, Math.abs(r.want)));
  }, 90_000);
});
