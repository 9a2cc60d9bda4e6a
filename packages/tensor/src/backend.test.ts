import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError, initBackend } from './backend';
import { tf } from './tf';

// Resolve what this machine has: tfjs-node cannot be installed here (its install downloads
// libtensorflow), so the default must fall back to wasm.
describe('initBackend', () => {
  afterEach(() => {
    if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
  });

  it('falls back to wasm with SIMD when tfjs-node is absent', async () => {
    const info = await initBackend('auto', { env: {} });
    expect(info.name).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.chosenBy).toBe('default');
    expect(info.skipped.map((s) => s.package)).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    expect(info.skipped.every((s) => s.reason === 'not installed')).toBe(true);
    expect(tf.getBackend()).toBe('wasm');
    expect(info.tfjsVersion).toBe(tf.version_core);
  });

  it('uses cpu when forced by WMKIT_BACKEND, over the argument', async () => {
    const info = await initBackend('wasm', { env: { WMKIT_BACKEND: 'cpu' } });
    expect(info.name).toBe('cpu');
    expect(info.chosenBy).toBe('WMKIT_BACKEND');
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]).toBe(3);
  });

  it('uses the argument when WMKIT_BACKEND is unset', async () => {
    const info = await initBackend('cpu', { env: {} });
    expect(info).toMatchObject({ name: 'cpu', chosenBy: 'argument', simd: null, threads: 1 });
  });

  it('a forced backend that is not installed is a clear error naming what to install', async () => {
    const err = await initBackend('auto', { env: { WMKIT_BACKEND: 'tensorflow' } }).catch((e) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.message).toContain('WMKIT_BACKEND=tensorflow');
    expect(err.message).toContain('@tensorflow/tfjs-node: not installed');
    expect(err.message).toContain('npm install @tensorflow/tfjs-node@4.22.0');
    expect(err.message).toContain('unset WMKIT_BACKEND');
  });

  it('a browser backend in Node, and an unknown name, are clear errors', async () => {
    await expect(initBackend('webgl', { env: {} })).rejects.toThrow(/webgl runs only in a browser/);
    await expect(initBackend('auto', { env: { WMKIT_BACKEND: 'cuda' } })).rejects.toThrow(
      "WMKIT_BACKEND='cuda' is not a backend; use one of cpu, wasm, tensorflow, webgl, webgpu",
    );
  });

  it('prefers tfjs-node-gpu, then tfjs-node, when they load', async () => {
    // A stand-in for @tensorflow/tfjs-node: registers a 'tensorflow' backend (the cpu kernels).
    const loaded: string[] = [];
    const fakeTfjsNode = async (spec: string) => {
      loaded.push(spec);
      if (spec === '@tensorflow/tfjs-node-gpu')
        throw Object.assign(new Error(`Cannot find package '${spec}'`), { code: 'ERR_MODULE_NOT_FOUND' });
      if (spec === '@tensorflow/tfjs-node') {
        const cpu = await import('@tensorflow/tfjs-backend-cpu');
        tf.registerBackend('tensorflow', () => new cpu.MathBackendCPU());
        tf.copyRegisteredKernels('cpu', 'tensorflow');
        return {};
      }
      return import(/* @vite-ignore */ spec);
    };
    const info = await initBackend('auto', { env: {}, importModule: fakeTfjsNode });
    expect(loaded.slice(0, 2)).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    expect(info).toMatchObject({ name: 'tensorflow', package: '@tensorflow/tfjs-node', device: 'cpu' });
    expect(info.skipped).toEqual([{ name: 'tensorflow', package: '@tensorflow/tfjs-node-gpu', reason: 'not installed' }]);
  });

  it('reports a tfjs-node that is installed but cannot load, then falls back', async () => {
    const broken = async (spec: string) => {
      if (spec.startsWith('@tensorflow/tfjs-node')) throw new Error('libtensorflow.so.2: cannot open shared object file');
      return import(/* @vite-ignore */ spec);
    };
    const info = await initBackend('auto', { env: {}, importModule: broken });
    expect(info.name).toBe('wasm');
    expect(info.skipped[1].reason).toBe('failed to load: libtensorflow.so.2: cannot open shared object file');
  });
});
