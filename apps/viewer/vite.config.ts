import { defineConfig } from 'vite';

// Served by `wmkit view` from any path: relative asset URLs.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000, target: 'es2022' },
});
