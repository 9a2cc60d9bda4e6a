import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors';
import { Rng } from '../rng';
import { defineKernelModule, Kernels, kernelInfo, relaxedSimdSupport, runtimeHasRelaxedSimd, setRelaxedSimd } from './index';
import { kernelThreadSupport, parseThreadCount, setKernelThreads, simulateNoThreadSupport, threadSupportOf } from './threads';
import { KERNELS_WASM_BASE64, KERNELS_WASM_THREADS_BASE64 } from './wasm-binary';

const bytes = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
const threadsSupported = kernelThreadSupport().ok;

/**
 * Runs the products (all three forms, dense and with zeros) and both scans (rate and current form,
 * batch sizes that do and do not split into 4-row blocks) and returns a digest of every output.
 */
function digest(k: Kernels): string {
  const rng = new Rng(25);
  const h = createHash('sha256');
  const put = (b: { copy(): Float32Array }) => h.update(new Uint8Array(b.copy().buffer));
  const rand = (n: number, s = 1) => {
    const a = new Float32Array(n);
    rng.fillNormal(a, 0, s);
    return a;
  };
  const scans = [
    ['rate', 'sigmoid', Number.POSITIVE_INFINITY, 32, 40, 12],
    ['current', 'tanh', Number.POSITIVE_INFINITY, 13, 37, 9],
    ['rate', 'relu', 20, 9, 21, 7],
    ['current', 'softplus', 20, 6, 5, 4],
  ] as const;
  for (const [mode, transfer, clip, B, N, T] of scans) {
    k.scope(() => {
      const W = k.from(rand(N * N, 1 / Math.sqrt(N)));
      const S = k.buffer((T + 1) * B * N).set(rand(B * N, 0.1));
      const args = {
        mode,
        transfer,
        clip,
        B,
        N,
        T,
        W,
        D: k.from(rand(T * B * N)),
        Z: k.from(rand(T * B * N, 0.1)),
        alpha: k.from(rand(N, 0.05).map((x) => 0.2 + Math.abs(x))),
        S,
        Y: mode === 'rate' ? k.buffer((T + 1) * B * N) : S,
        P: k.buffer(T * B * N),
        F: mode === 'current' ? k.buffer(T * B * N) : null,
        bias: k.from(rand(N, 0.1)),
      };
      k.leakyRnnForward(args);
      const g = {
        dY: k.from(rand((T + 1) * B * N)),
        dW: k.buffer(N * N),
        dD: k.buffer(T * B * N),
        dAlpha: k.buffer(N),
        dBias: k.buffer(N),
        dS0: k.buffer(B * N),
      };
      k.leakyRnnBackward({ ...args, ...g });
      for (const b of [args.S, args.Y, args.P, g.dW, g.dD, g.dAlpha, g.dBias, g.dS0]) put(b);
    });
  }
  for (const [M, K, P] of [
    [67, 70, 45],
    [130, 3, 90],
    [40, 100, 100],
  ] as const) {
    k.scope(() => {
      const A = k.from(rand(M * K).map((x, i) => (i % 3 === 0 ? 0 : x)));
      const C1 = k.buffer(M * P);
      const C2 = k.buffer(M * P);
      const C3 = k.from(rand(K * P));
      k.matmulABt(M, K, P, A, k.from(rand(P * K)), C1);
      k.matmulAB(M, K, P, A, k.from(rand(K * P)), C2);
      k.matmulAtB(M, K, P, A, k.from(rand(M * P)), C3, true);
      for (const b of [C1, C2, C3]) put(b);
    });
  }
  return h.digest('hex');
}

afterAll(() => {
  setKernelThreads(null);
  simulateNoThreadSupport(null);
});

describe('kernel threads', () => {
  it.runIf(threadsSupported)('give the same outputs, byte for byte, on 1, 2 and 3 threads', () => {
    setKernelThreads(3);
    const k = new Kernels(new WebAssembly.Module(bytes(KERNELS_WASM_THREADS_BASE64)));
    expect(k.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const byThreads = [1, 2, 3].map((n) => {
      setKernelThreads(n);
      expect(k.threads).toBe(n);
      return digest(k);
    });
    expect(byThreads[1]).toBe(byThreads[0]);
    expect(byThreads[2]).toBe(byThreads[0]);
    // and the one-thread build on a memory of its own
    expect(digest(new Kernels(new WebAssembly.Module(bytes(KERNELS_WASM_BASE64))))).toBe(byThreads[0]);
  });

  it('fall back to one thread where shared memory is absent, with the same outputs', () => {
    simulateNoThreadSupport('test: no SharedArrayBuffer');
    setKernelThreads(2);
    const mod = defineKernelModule(
      'tensor/fallback-test',
      { single: KERNELS_WASM_BASE64, threads: KERNELS_WASM_THREADS_BASE64 },
      (m) => new Kernels(m),
    );
    const k = mod.get();
    expect(k.threads).toBe(1);
    expect(k.memory.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    const single = digest(k);
    simulateNoThreadSupport(null);
    if (threadsSupported) expect(digest(new Kernels(new WebAssembly.Module(bytes(KERNELS_WASM_THREADS_BASE64))))).toBe(single);
  });

  it.runIf(threadsSupported)(
    'fall back in a Node without SharedArrayBuffer (--no-harmony-sharedarraybuffer)',
    () => {
      const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
      const code = [
        "import { kernels, kernelThreadSupport, Rng } from '@wmkit/tensor';",
        'const k = kernels();',
        'const a = k.from(new Rng(1).fillNormal(new Float32Array(64 * 64))), c = k.buffer(64 * 64);',
        'k.matmulABt(64, 64, 64, a, a, c);',
        'console.log(JSON.stringify({ threads: k.threads, support: kernelThreadSupport(), c: Array.from(c.view().slice(0, 8)) }));',
      ].join('\n');
      const run = (flags: string[]) => {
        const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', code], {
          cwd: pkg,
          env: { ...process.env, WMKIT_THREADS: '2' },
          encoding: 'utf8',
        });
        expect(r.stderr).toBe('');
        return JSON.parse(r.stdout.trim().split('\n').pop() as string);
      };
      const off = run(['--no-harmony-sharedarraybuffer']);
      expect(off.threads).toBe(1);
      expect(off.support.reason).toMatch(/SharedArrayBuffer is absent/);
      const on = run([]);
      expect(on.threads).toBe(2);
      expect(off.c).toEqual(on.c);
    },
    30_000,
  ); // (child processes: seconds on a loaded machine)

  it.runIf(threadsSupported)(
    'use the relaxed-SIMD build by default (Node 20: no flag on the command line): same on 1 and 2 threads and in a worker thread, scans bit-identical to the plain build, products within float rounding',
    () => {
      const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
      // a product that takes the packed kernel (with FMA in the relaxed build) and a scan (no FMA)
      const code = (lines: string[]) =>
        [
          "import { kernels, kernelInfo, Rng } from '@wmkit/tensor';",
          'const k = kernels(), rng = new Rng(7), M = 64, K = 300, P = 40, B = 8, N = 24, T = 5;',
          'const a = k.from(rng.fillNormal(new Float32Array(M * K))), b = k.from(rng.fillNormal(new Float32Array(P * K))), c = k.buffer(M * P);',
          'const W = k.from(rng.fillNormal(new Float32Array(N * N), 0, 0.2)), S = k.buffer((T + 1) * B * N), Y = k.buffer((T + 1) * B * N);',
          "const scan = { mode: 'rate', transfer: 'tanh', B, N, T, W, D: k.from(rng.fillNormal(new Float32Array(T * B * N))), Z: null,",
          '  alpha: k.buffer(N).fill(0.2), S, Y, P: k.buffer(T * B * N) };',
          'k.leakyRnnForward(scan);',
          ...lines,
        ].join('\n');
      const child = code([
        'k.matmulABt(M, K, P, a, b, c); const two = Array.from(c.view());',
        'const threads = k.threads;',
        "process.env.WMKIT_THREADS = '1'; k.matmulABt(M, K, P, a, b, c); const one = Array.from(c.view());",
        // a worker thread that loads the kernels on its own chooses the same form (getBuiltinModule: the
        // worker inherits --input-type=module)
        // (in the default run only: a worker's start-up is most of this test's time)
        'let workerSimd = null;',
        "if (process.env.WMKIT_RELAXED_SIMD !== '0') {",
        "  const { Worker } = await import('node:worker_threads');",
        "  const w = new Worker(\"import('@wmkit/tensor').then((t) => process.getBuiltinModule('node:worker_threads').parentPort.postMessage(t.kernelInfo().simd))\", { eval: true });",
        "  workerSimd = await new Promise((ok, fail) => { w.on('message', ok); w.on('error', fail); }); await w.terminate();",
        '}',
        'console.log(JSON.stringify({ info: kernelInfo(), threads, workerSimd, same: two.every((x, i) => Object.is(x, one[i])), c: one, y: Array.from(Y.view()) }));',
      ]);
      const run = (env: Record<string, string>) => {
        const r = spawnSync(process.execPath, ['--input-type=module', '-e', child], {
          cwd: pkg,
          env: { ...process.env, WMKIT_THREADS: '2', ...env },
          encoding: 'utf8',
        });
        expect(r.stderr).toBe('');
        return JSON.parse(r.stdout.trim().split('\n').pop() as string);
      };
      const relaxed = run({});
      expect(relaxed.info.simd).toBe('relaxed-simd');
      expect(relaxed.workerSimd).toBe('relaxed-simd');
      expect(relaxed.threads).toBe(2);
      expect(relaxed.same).toBe(true);
      const plain = run({ WMKIT_RELAXED_SIMD: '0' });
      expect(plain.info.simd).toBe('simd128');
      expect(plain.same).toBe(true);
      // the scan never uses the fused multiply-add: bit-identical; the product differs by rounding only
      expect(relaxed.y).toEqual(plain.y);
      const scale = Math.max(...plain.c.map(Math.abs));
      const worst = Math.max(...plain.c.map((x: number, i: number) => Math.abs(x - relaxed.c[i])));
      expect(worst).toBeLessThan(1e-5 * scale);
    },
    30_000,
  );

  it('say whether relaxed SIMD is used, and why not', () => {
    expect(relaxedSimdSupport().ok).toBe(runtimeHasRelaxedSimd());
    if (!runtimeHasRelaxedSimd()) expect(relaxedSimdSupport().reason).toMatch(/relaxed/);
    setRelaxedSimd(false);
    expect(relaxedSimdSupport().reason).toMatch(/switched off/);
    expect(kernelInfo().simd).toBe('simd128');
    setRelaxedSimd(null);
  });

  it('decide from the runtime what they can use, and say why not', () => {
    const all = { sharedArrayBuffer: true, sharedWasmMemory: true, workers: true };
    expect(threadSupportOf(all)).toEqual({ ok: true });
    expect(threadSupportOf({ ...all, sharedArrayBuffer: false }).reason).toMatch(/cross-origin isolated/);
    expect(threadSupportOf({ ...all, sharedWasmMemory: false }).ok).toBe(false);
    expect(threadSupportOf({ ...all, workers: false }).reason).toMatch(/worker/);
  });

  it('refuse a thread count that is not a whole number ≥ 1, naming where it came from', () => {
    expect(parseThreadCount('4')).toBe(4);
    expect(() => parseThreadCount('0')).toThrow(UserError);
    expect(() => parseThreadCount('two')).toThrow("WMKIT_THREADS must be a whole number of threads ≥ 1, got 'two'");
    expect(() => setKernelThreads(1.5)).toThrow(/kernel thread count/);
  });
});
