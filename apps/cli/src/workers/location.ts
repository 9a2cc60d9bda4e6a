/** A worker script of the built CLI (dist/workers/<file>), from the main bundle or from a worker. */
export function workerScript(file: string): URL {
  const here = new URL('.', import.meta.url);
  return here.pathname.endsWith('/workers/') ? new URL(file, here) : new URL(`workers/${file}`, here);
}
