import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A worker script of the built CLI (dist/workers/<file>), from the main bundle or from a worker. */
export function workerScript(file: string): URL {
  const here = new URL('.', import.meta.url);
  return here.pathname.endsWith('/workers/') ? new URL(file, here) : new URL(`workers/${file}`, here);
}

/**
 * The sweep worker: its one-file bundle (`src/workers/bundle-worker.mjs`: ~0.45 CPU s to load
 * instead of ~1.4) where it was built in this very directory, else the worker as tsup built it.
 * `WMKIT_SWEEP_BUNDLE=0` always takes the latter.
 */
export function sweepWorkerScript(): URL {
  const plain = workerScript('sweep-worker.js');
  if (process.env.WMKIT_SWEEP_BUNDLE === '0') return plain;
  const bundle = workerScript('sweep-worker.bundle.js');
  const record = workerScript('sweep-worker.bundle.json');
  try {
    if (!existsSync(bundle) || !existsSync(record)) return plain;
    const { builtIn } = JSON.parse(readFileSync(record, 'utf8')) as { builtIn?: string };
    return builtIn === fileURLToPath(new URL('.', bundle)).replace(/\/$/, '') ? bundle : plain;
  } catch {
    return plain;
  }
}
