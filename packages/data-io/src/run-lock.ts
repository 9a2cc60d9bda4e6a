/**
 * The writer lock of a run directory (Node only): `<run>/.lock`, created atomically, holding the
 * writer's host, PID and process start time. Exactly one process can hold it, so two commands
 * given the same `--out` cannot both write the run.
 *
 * A PID alone does not say whether the writer still runs: after a crash the PID is reused (by
 * pid 1 in a container), and on a cluster it belongs to another host. So a lock's holder counts
 * as gone when
 *   - it is on this host and no process has its PID, or the process with its PID started at
 *     another time (or before another boot): the PID was reused;
 *   - it is on another host and its lock has not been refreshed for `staleAfterSeconds()`
 *     (the writer touches its lock at least every 30 s while its event loop runs, and at
 *     every write).
 * A lock whose holder is gone is stale: the run reads as interrupted and `--force` takes it over.
 *
 * Locks are hand-written rather than taken from a library (proper-lockfile and the like judge
 * staleness by time alone, which cannot tell a reused PID on this host from a live writer).
 */
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmdirSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { RunFormatError } from './run-manifest';

/** File name of a run directory's writer lock. */
export const LOCK = '.lock';

export const writerSchema = z.object({
  host: z.string(),
  pid: z.number().int(),
  /** `<boot id>:<start time in clock ticks since boot>` (Linux); null where unknown. */
  startTime: z.string().nullable(),
});
/** The process writing a run: host, pid and start time. */
export type Writer = z.infer<typeof writerSchema>;

/** Seconds after which a lock held on another host and not refreshed is taken as stale. */
export function staleAfterSeconds(): number {
  const v = Number(process.env.WMKIT_LOCK_STALE_S);
  return Number.isFinite(v) && v > 0 ? v : 600;
}

let bootId: string | null | undefined;
function readBootId(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

/** When process `pid` started (Linux: boot id and clock ticks since boot); null where unknown. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may hold spaces: fields 3… follow the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[19];
    return ticks ? `${readBootId() ?? '?'}:${ticks}` : null;
  } catch {
    return null;
  }
}

let self: Writer | null = null;
/** This process as a writer. */
export function thisWriter(): Writer {
  self ??= { host: hostname(), pid: process.pid, startTime: processStartTime(process.pid) };
  return self;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a run's writer is still alive, gone, or cannot be told (another host). */
export type WriterState = 'alive' | 'gone' | 'unknown';

/**
 * Whether a writer still runs: `alive`, `gone` (provably: its PID is free or was reused), or
 * `unknown` (another host; the caller judges by the lock's age).
 */
export function writerState(w: Writer): WriterState {
  if (w.host !== hostname()) return 'unknown';
  if (w.pid === process.pid) {
    const me = thisWriter();
    return w.startTime == null || me.startTime == null || w.startTime === me.startTime ? 'alive' : 'gone';
  }
  if (!pidExists(w.pid)) return 'gone';
  if (w.startTime == null) return 'alive';
  const now = processStartTime(w.pid);
  return now == null || now === w.startTime ? 'alive' : 'gone';
}

/** 'pid N', or 'pid N on host H' for another machine. */
export function describeWriter(w: Writer): string {
  return w.host === hostname() ? `pid ${w.pid}` : `pid ${w.pid} on host ${w.host}`;
}

interface LockContent extends Writer {
  token: string;
  acquiredAt: string;
}

/** Who holds a run directory's lock, and whether that lock is stale. */
export interface LockHolder {
  writer: Writer | null;
  /** Holder provably gone (or, on another host, the lock not refreshed for too long). */
  stale: boolean;
  raw: string;
}

/** Who holds the lock of `dir`; null when nobody does. */
export function lockHolder(dir: string): LockHolder | null {
  const path = join(dir, LOCK);
  let raw: string;
  let mtimeMs: number;
  try {
    raw = readFileSync(path, 'utf8');
    mtimeMs = statSync(path).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const ageS = (Date.now() - mtimeMs) / 1000;
  let writer: Writer | null = null;
  try {
    const parsed = writerSchema.safeParse(JSON.parse(raw));
    if (parsed.success) writer = parsed.data;
  } catch {
    /* unreadable: judged by age below */
  }
  // an unreadable lock is a writer that died while writing it (locks appear whole, by link)
  if (!writer) return { writer: null, stale: ageS > 5, raw };
  const state = writerState(writer);
  const stale = state === 'gone' || (state === 'unknown' && ageS > staleAfterSeconds());
  return { writer, stale, raw };
}

/** A lock held on a run directory by this process. */
export interface RunLock {
  dir: string;
  token: string;
  /** The writer whose stale lock this one replaced, if any. */
  tookOverFrom: Writer | null;
  /** Removes the lock (only if this process still holds it). */
  release(): void;
  /** Refreshes the lock so other hosts do not take it as stale. */
  touch(): void;
}

function inUse(dir: string, holder: LockHolder): RunFormatError {
  const who = holder.writer ? describeWriter(holder.writer) : 'a process that is creating it';
  const remote = holder.writer && holder.writer.host !== hostname();
  return new RunFormatError(
    `${dir} is in use by a running wmkit process (${who}); wait for it to finish or choose another output directory${
      remote
        ? ` (if that process is gone, its lock goes stale ${Math.round(staleAfterSeconds() / 60)} min after its last write; or remove ${join(dir, LOCK)})`
        : ''
    }`,
  );
}

/** Creates `path` holding `content`, atomically and only if it does not exist; false if it does. */
function createExclusive(path: string, content: string): boolean {
  // written whole beside it, then hard-linked into place: link fails if the lock exists, and a
  // reader never sees a half-written lock
  const tmp = `${path}.${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  writeFileSync(tmp, content, { flag: 'wx' });
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
    // file systems without hard links: O_EXCL create
    try {
      const fd = openSync(path, 'wx');
      try {
        writeFileSync(fd, content);
      } finally {
        closeSync(fd);
      }
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Takes the writer lock of `dir` (which must exist). Throws a one-line error naming the holder
 * when a live process holds it; replaces a stale lock (its holder gone), so exactly one of
 * several processes taking over the same stale lock wins.
 */
export function acquireRunLock(dir: string): RunLock {
  const path = join(dir, LOCK);
  const me = thisWriter();
  const token = `${me.host}:${me.pid}:${Date.now()}:${Math.random().toString(36).slice(2, 10)}`;
  const content: LockContent = { ...me, token, acquiredAt: new Date().toISOString() };
  const text = `${JSON.stringify(content)}\n`;
  const make = (tookOverFrom: Writer | null): RunLock => ({
    dir,
    token,
    tookOverFrom,
    release() {
      try {
        if (JSON.parse(readFileSync(path, 'utf8')).token === token) unlinkSync(path);
      } catch {
        /* gone already, or not ours */
      }
    },
    touch() {
      try {
        const now = new Date();
        utimesSync(path, now, now);
      } catch {
        /* removed under us: nothing to refresh */
      }
    },
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(path, text)) return make(null);
    const holder = lockHolder(dir);
    if (!holder) continue; // released in between: try again
    if (!holder.stale) throw inUse(dir, holder);
    // take over a stale lock under a mutex (mkdir is atomic), checking under it that the lock
    // is still the stale one we judged: of several processes doing this, one wins
    const mutex = `${path}.takeover`;
    try {
      mkdirSync(mutex);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let age = 0;
      try {
        age = Date.now() - statSync(mutex).mtimeMs;
      } catch {
        continue;
      }
      if (age > 60_000) {
        // left by a process that died in the few lines below
        try {
          rmdirSync(mutex);
        } catch {
          /* another process removed it */
        }
        continue;
      }
      throw inUse(dir, holder);
    }
    try {
      let now: string | null = null;
      try {
        now = readFileSync(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      if (now !== null && now !== holder.raw) {
        const current = lockHolder(dir);
        throw inUse(dir, current ?? holder);
      }
      if (now !== null) unlinkSync(path);
      if (createExclusive(path, text)) return make(holder.writer);
      const current = lockHolder(dir);
      throw inUse(dir, current ?? holder);
    } finally {
      try {
        rmdirSync(mutex);
      } catch {
        /* nothing to remove */
      }
    }
  }
  const holder = lockHolder(dir);
  throw holder ? inUse(dir, holder) : new RunFormatError(`${dir}: could not take its writer lock (${path}); try again`);
}
