import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  target: 'es2022',
  shims: true,
  // fast-png and its iobuffer are ES modules only: bundled, so the CommonJS build can use them on every Node ≥ 20
  noExternal: ['fast-png', 'iobuffer'],
});
