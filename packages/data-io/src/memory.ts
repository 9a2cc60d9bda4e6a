/** Memory sizes for people, and the memory this process may still use. */
import { freemem, totalmem } from 'node:os';

/** A byte count for people: `1.9 TB`, `24 GB`, `512 MB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} bytes`;
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  if (v >= 1000) return `${bytes.toExponential(1)} bytes`;
  return `${v >= 10 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/**
 * Memory this process may still use: the system's available memory, within the container's
 * (cgroup) limit where there is one.
 */
export function availableMemory(): number {
  let available = freemem();
  const limit = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  if (limit && limit > 0 && limit < totalmem()) available = Math.min(available, Math.max(0, limit - process.memoryUsage.rss()));
  return available;
}
