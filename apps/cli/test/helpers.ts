import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');

/**
 * Runs the built `wmkit` executable. A run that has not ended after 240 s is killed (a hang fails its
 * test, not the suite): with two test files at a time (vitest.config.ts) on a 2-core machine, the
 * longest runs (train delay-snn on perrinet2026.small, ~90 s alone) share the cores.
 */
export function wmkit(args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240_000 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** `wmkit reproduce kurtkaya2025` on a 2 × 2 grid (lr × delay), one seed, 2 trials per cue: ~10 s. */
export function tinyKurtkaya(out: string): string[] {
  return ['reproduce', 'kurtkaya2025', '--lrs', '0.1,0.03', '--delays', '0,100', '--seeds', '1', '--trials-per-cue', '2', '--out', out];
}
