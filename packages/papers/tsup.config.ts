import { defineConfig } from 'tsup';

// Two builds into one dist (the package script empties it first): the library (ESM + CJS + types,
// with the Node runners at the ./node subpath), and the worker module the runners start, which
// both the ESM and the CJS runner load by path (dist/node/worker.js).
export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    shims: true,
  },
  {
    entry: { 'node/worker': 'src/node/worker.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'es2022',
  },
]);
