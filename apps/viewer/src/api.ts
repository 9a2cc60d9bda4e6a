/** The read-only API of `wmkit view` (see apps/cli/src/commands/view.ts). */
import { decodeNpy, type NpyArray } from '@wmkit/data-io';

export interface RunSummary {
  /** Path relative to the runs directory ('' for the directory itself). */
  path: string;
  kind: string;
  status: string;
  preset: string | null;
  seed: number | string | null;
  startedAt: string;
  metrics: Record<string, unknown>;
  arrays: { name: string; file: string; dtype: string; shape: number[] }[];
  figures: { name: string; file: string; caption?: string; png?: string }[];
}

export interface RunDetail extends RunSummary {
  config: unknown;
  command: string[] | null;
  notes: string[];
  backend: Record<string, unknown> | null;
  /** Files in the run directory that the server serves. */
  files: string[];
}

async function json<T>(url: string): Promise<T> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

export function fileUrl(runPath: string, file: string): string {
  const p = runPath ? `${runPath}/${file}` : file;
  return `files/${p.split('/').map(encodeURIComponent).join('/')}`;
}

export const api = {
  runs: () => json<{ root: string; runs: RunSummary[] }>('api/runs'),
  run: (path: string) => json<RunDetail>(`api/run?path=${encodeURIComponent(path)}`),
  async npy(runPath: string, file: string): Promise<NpyArray> {
    const r = await fetch(fileUrl(runPath, file));
    if (!r.ok) throw new Error(`${file}: ${r.status}`);
    return decodeNpy(new Uint8Array(await r.arrayBuffer()), file);
  },
  async jsonl(runPath: string, file: string): Promise<Record<string, unknown>[]> {
    const r = await fetch(fileUrl(runPath, file));
    if (!r.ok) return [];
    const text = await r.text();
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  },
};

export function toNumbers(a: NpyArray): Float64Array {
  return Float64Array.from(a.data as ArrayLike<number | bigint>, Number);
}
