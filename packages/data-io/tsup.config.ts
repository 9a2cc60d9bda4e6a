import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // index and node share modules (error classes): split so both entries use one copy, in CJS too.
  splitting: true,
  // import.meta.url in the CJS build (hdf5.ts locates h5wasm on disk)
  shims: true,
});
