import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two test files at a time even on a 2-core machine (vitest's default there is one): a CLI test
// spends most of its time in a spawned `wmkit` process that runs on one core (module loading, JS
// between kernel calls), so a single worker leaves the second core idle once the other packages'
// tests have finished. Test files share nothing (each writes under its own mkdtemp folder).
export default defineConfig({
  test: { maxWorkers: Math.max(2, availableParallelism() - 1) },
});
