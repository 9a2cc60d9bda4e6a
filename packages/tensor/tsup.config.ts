import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // tfjs-core ships its gradient configs only as ES modules under dist/; bundle
  // that file and what it imports (see src/gradients.ts). Everything else from
  // tfjs stays external so the application has a single tfjs-core.
  noExternal: [/@tensorflow\/tfjs-core\/dist\//],
});
