import { type BackendInfo, type BackendName, initBackend } from '@wmkit/tensor';

/** Backends to measure on this machine: every Node backend that initialises. */
export async function availableBackends(log: (m: string) => void): Promise<{ name: BackendName; info: BackendInfo }[]> {
  const out: { name: BackendName; info: BackendInfo }[] = [];
  for (const name of ['tensorflow', 'wasm', 'cpu'] as BackendName[]) {
    try {
      out.push({ name, info: await initBackend(name, { env: {} }) });
    } catch (err) {
      const why = (err as Error).message.replace(/^.*? is not available \(/, '').replace(/\)\..*$/s, '');
      log(`  backend ${name}: not measured (${why})`);
    }
  }
  return out;
}
