/** Versions of the wmkit packages and of TensorFlow.js actually loaded (read at run time). */
import { createRequire } from 'node:module';

export const WMKIT_PACKAGES = [
  '@wmkit/cli',
  '@wmkit/tensor',
  '@wmkit/core-neuron',
  '@wmkit/tasks',
  '@wmkit/ei-rnn',
  '@wmkit/delay-snn',
  '@wmkit/attractor-models',
  '@wmkit/papers',
  '@wmkit/analysis',
  '@wmkit/data-io',
] as const;

const req = createRequire(import.meta.url);

function versionOf(pkg: string, from?: string): string | null {
  try {
    const path = from ? req.resolve(`${pkg}/package.json`, { paths: [from] }) : req.resolve(`${pkg}/package.json`);
    return (req(path) as { version: string }).version;
  } catch {
    return null;
  }
}

/** `{ '@wmkit/tensor': '0.1.0', …, '@tensorflow/tfjs-core': '4.22.0' }` for the packages that resolve. */
export function packageVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of WMKIT_PACKAGES) {
    const v = p === '@wmkit/cli' ? (versionOf('@wmkit/cli') ?? cliVersion()) : versionOf(p);
    if (v) out[p] = v;
  }
  // tfjs-core as @wmkit/tensor sees it (the one copy every package uses).
  let tensorDir: string | undefined;
  try {
    tensorDir = req.resolve('@wmkit/tensor');
  } catch {
    tensorDir = undefined;
  }
  for (const p of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu']) {
    const v = versionOf(p, tensorDir);
    if (v) out[p] = v;
  }
  return out;
}

export function cliVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = req(rel) as { name?: string; version: string };
      if (pkg.name === '@wmkit/cli') return pkg.version;
    } catch {
      /* try the next */
    }
  }
  return '0.0.0';
}
