import { defineConfig } from 'tsup';

// `pnpm build` empties dist first (both configs write there).
export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    shims: true,
  },
  {
    // The executable: ESM with a shebang.
    entry: {
      bin: 'src/bin.ts',
      'workers/sweep-worker': 'src/workers/sweep-worker.ts',
    },
    format: ['esm'],
    sourcemap: true,
    target: 'es2022',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
