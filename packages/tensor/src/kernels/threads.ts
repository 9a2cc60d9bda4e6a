/**
 * Threads inside the kernels: worker threads that instantiate a kernel module on the module's
 * shared `WebAssembly.Memory`, and a fork/join that runs one exported entry
 * `name(args, tid, nth)` on every thread (tid 0 on the calling thread) and returns when all are
 * done. The entries split their work so that every output element is computed the same way on
 * any number of threads (csrc/parallel.h), so results are identical for 1, 2 or 16 threads.
 *
 * The fork/join is written here rather than taken from a pool library (tinypool, piscina): those
 * pass messages between event loops, tens of microseconds per task, while a kernel call needs the
 * calling thread to wait synchronously (`Atomics.wait`) for workers already spinning on the same
 * memory. Workers exist in Node (`worker_threads`) and on a cross-origin isolated browser page
 * (Web Workers; the page's server sends `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`); elsewhere (a page that is not isolated, or a
 * runtime without `SharedArrayBuffer`) the kernels run on one thread with the same results.
 */
import { UserError } from '../errors';

/** Control words of the fork/join (an Int32Array on a SharedArrayBuffer). */
const SEQ = 0; // bumped by the caller for each job
const MODULE = 1; // module id of the job
const FN = 2; // entry id of the job
const ARG = 3; // the entry's argument (a pointer)
const NTH = 4; // threads taking part (tid 0 is the caller)
const DONE = 5; // workers finished with the job
const ERROR = 6; // a worker's entry threw (its message follows on its port)
const BROKEN = 7; // a worker failed outside any job (its message follows on its port)
const CONTROL_WORDS = 8;
/** Polls of a control word before sleeping on it: a kernel call's work takes far longer. */
const SPINS = 4000;

/** Bytes of stack given to each worker's instance of a module. */
export const WORKER_STACK_BYTES = 128 * 1024;

interface NodeWorkerThreads {
  Worker: new (
    code: string,
    opts: { eval: true; workerData: unknown; transferList?: unknown[]; env?: unknown },
  ) => { unref(): void; terminate(): Promise<number>; on(ev: string, fn: (e: unknown) => void): void };
  MessageChannel: new () => { port1: NodePort; port2: NodePort };
  receiveMessageOnPort(port: NodePort): { message: unknown } | undefined;
}
interface NodePort {
  postMessage(msg: unknown): void;
  unref?(): void;
}

function nodeWorkerThreads(): NodeWorkerThreads | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return null;
  try {
    return (proc.getBuiltinModule('node:worker_threads') as NodeWorkerThreads | undefined) ?? null;
  } catch {
    return null;
  }
}

/** Whether this runtime can run kernels on several threads, and if not, why. */
export interface ThreadSupport {
  /** True where shared memory and worker threads exist. */
  ok: boolean;
  /** Why not, when `ok` is false. */
  reason?: string;
}

/** What a runtime offers (`threadSupportOf` reads them; tests pass their own). */
export interface ThreadCapabilities {
  /** `SharedArrayBuffer` exists (browsers: only on cross-origin isolated pages). */
  sharedArrayBuffer: boolean;
  /** A shared `WebAssembly.Memory` can be created. */
  sharedWasmMemory: boolean;
  /** Worker threads exist (Node's worker_threads, or Web Workers on a cross-origin isolated page). */
  workers: boolean;
}

/** Decides from a runtime's capabilities whether the kernels can use threads. */
export function threadSupportOf(c: ThreadCapabilities): ThreadSupport {
  if (!c.sharedArrayBuffer)
    return { ok: false, reason: 'SharedArrayBuffer is absent (in a browser: the page is not cross-origin isolated)' };
  if (!c.sharedWasmMemory) return { ok: false, reason: 'this runtime cannot create a shared WebAssembly.Memory' };
  if (!c.workers) return { ok: false, reason: "no worker threads (Node's worker_threads, or Web Workers) in this runtime" };
  return { ok: true };
}

function runtimeCapabilities(): ThreadCapabilities {
  const sharedArrayBuffer = typeof SharedArrayBuffer !== 'undefined';
  let sharedWasmMemory = false;
  if (sharedArrayBuffer) {
    try {
      sharedWasmMemory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
    } catch {
      sharedWasmMemory = false;
    }
  }
  return { sharedArrayBuffer, sharedWasmMemory, workers: nodeWorkerThreads() !== null || browserWorkers() };
}

/** Web Workers on a cross-origin isolated page (where SharedArrayBuffer can be posted to them). */
function browserWorkers(): boolean {
  const g = globalThis as { Worker?: unknown; crossOriginIsolated?: boolean; Blob?: unknown; URL?: { createObjectURL?: unknown } };
  return typeof g.Worker === 'function' && g.crossOriginIsolated === true && typeof g.Blob === 'function' && !!g.URL?.createObjectURL;
}

let support: ThreadSupport | null = null;
let forcedOff: string | null = null;

/** Whether this runtime can run the kernels on several threads. */
export function kernelThreadSupport(): ThreadSupport {
  if (forcedOff) return { ok: false, reason: forcedOff };
  support ??= threadSupportOf(runtimeCapabilities());
  return support;
}

let configured: number | null = null;

function availableCores(): number {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const os = proc?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
    if (os) return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  } catch {
    // not Node
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/**
 * Parses a thread count given by a user (`WMKIT_THREADS`, a `--threads` option): a whole number
 * ≥ 1. Throws a `UserError` naming `where` and the fix otherwise.
 */
export function parseThreadCount(value: string | number, where = 'WMKIT_THREADS'): number {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`${where} must be a whole number of threads ≥ 1, got '${value}' (leave it unset to use every core)`);
  return n;
}

/**
 * Sets how many threads the kernels use (`null`: back to the default). Takes precedence over the
 * `WMKIT_THREADS` environment variable, which takes precedence over the default: the available
 * cores. A module decides between its one-thread and its threaded form when first used, so set
 * this (or the variable) before the first kernel call to get threads at all; after that, counts
 * up to the one the module started with apply from the next call.
 */
export function setKernelThreads(n: number | null): void {
  configured = n == null ? null : parseThreadCount(n, 'the kernel thread count');
}

/**
 * The number of threads the kernels are asked to use: `setKernelThreads`, else `WMKIT_THREADS`,
 * else the available cores. (Where threads are not supported, kernels run on one regardless.)
 */
export function kernelThreads(): number {
  if (configured != null) return configured;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.WMKIT_THREADS;
  if (env != null && env !== '') return parseThreadCount(env);
  return availableCores();
}

/**
 * For tests of the one-thread fallback: makes `kernelThreadSupport()` report `reason` (null:
 * back to the runtime's own answer). Affects modules first used afterwards.
 */
export function simulateNoThreadSupport(reason: string | null): void {
  forcedOff = reason;
}

/** The code each worker runs (CommonJS, evaluated by worker_threads). */
const WORKER_SOURCE = `
// (process.getBuiltinModule, not require: the worker inherits the parent's flags, and with
// --input-type=module its code is evaluated as a module)
const { workerData, receiveMessageOnPort } = process.getBuiltinModule('node:worker_threads');
const c = new Int32Array(workerData.control);
const port = workerData.port;
try {
  const tid = workerData.index + 1;
  const modules = new Map();
  const fns = [];
  let seq = workerData.seq; // the count when this worker was made: a job posted since is not missed
  const drain = () => {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      const msg = m.message;
      if (msg.kind === 'module') {
        const inst = new WebAssembly.Instance(msg.module, { env: { memory: msg.memory } });
        inst.exports.__stack_pointer.value = msg.stackTop;
        modules.set(msg.id, inst.exports);
      } else if (msg.kind === 'fn') fns[msg.id] = msg.name;
    }
  };
  for (;;) {
    let spins = 0;
    while (Atomics.load(c, ${SEQ}) === seq) {
      if (++spins > ${SPINS}) Atomics.wait(c, ${SEQ}, seq);
    }
    seq = Atomics.load(c, ${SEQ});
    const nth = Atomics.load(c, ${NTH});
    if (tid >= nth) continue;
    try {
      drain();
      const ex = modules.get(Atomics.load(c, ${MODULE}));
      ex[fns[Atomics.load(c, ${FN})]](Atomics.load(c, ${ARG}), tid, nth);
    } catch (err) {
      port.postMessage({ kind: 'error', message: String((err && err.message) || err) });
      Atomics.store(c, ${ERROR}, 1);
    }
    Atomics.add(c, ${DONE}, 1);
    Atomics.notify(c, ${DONE});
  }
} catch (err) {
  port.postMessage({ kind: 'error', message: String((err && err.message) || err) });
  Atomics.store(c, ${BROKEN}, 1);
  Atomics.notify(c, ${DONE});
}
`;

/**
 * The code each Web Worker runs (a browser page that is cross-origin isolated). A worker cannot
 * read its messages synchronously as Node's can, so it waits for jobs with `Atomics.waitAsync`
 * (or short sleeps where that is missing) between message events, and runs a job once the
 * messages that announce its module and entry have arrived.
 */
const BROWSER_WORKER_SOURCE = `
let c = null, tid = 0, seq = 0;
const modules = new Map();
const fns = [];
const fail = (err, word) => {
  postMessage({ kind: 'error', message: String((err && err.message) || err) });
  Atomics.store(c, word, 1);
  Atomics.notify(c, ${DONE});
};
const step = () => {
  while (Atomics.load(c, ${SEQ}) !== seq) {
    const nth = Atomics.load(c, ${NTH});
    if (tid < nth) {
      const ex = modules.get(Atomics.load(c, ${MODULE}));
      const name = fns[Atomics.load(c, ${FN})];
      if (!ex || name === undefined) return; // its messages have not arrived yet: the next message event retries
      try {
        ex[name](Atomics.load(c, ${ARG}), tid, nth);
      } catch (err) {
        fail(err, ${ERROR});
      }
      seq++;
      Atomics.add(c, ${DONE}, 1);
      Atomics.notify(c, ${DONE});
    } else seq++;
  }
};
const wait = () => {
  step();
  if (typeof Atomics.waitAsync === 'function') {
    const w = Atomics.waitAsync(c, ${SEQ}, seq);
    if (w.async) w.value.then(wait);
    else setTimeout(wait, 0); // a job whose messages are still on their way: let them in
  } else setTimeout(wait, 1);
};
onmessage = (e) => {
  const msg = e.data;
  try {
    if (msg.kind === 'start') {
      c = new Int32Array(msg.control);
      tid = msg.index + 1;
      seq = msg.seq;
      postMessage({ kind: 'ready' });
      wait();
      return;
    }
    if (msg.kind === 'module') {
      const inst = new WebAssembly.Instance(msg.module, { env: { memory: msg.memory } });
      inst.exports.__stack_pointer.value = msg.stackTop;
      modules.set(msg.id, inst.exports);
    } else if (msg.kind === 'fn') fns[msg.id] = msg.name;
    step();
  } catch (err) {
    fail(err, ${BROKEN});
  }
};
`;

/** One worker of a team: where to post its messages, and the error messages it has sent. */
interface WorkerLink {
  post(msg: unknown): void;
  /** Error messages received from the worker so far (Node: read synchronously from its port). */
  errors(): string[];
}

/** Starts the workers of a team: Node worker_threads, or Web Workers in a browser. */
interface WorkerFactory {
  spawn(index: number, control: SharedArrayBuffer, seq: number): WorkerLink;
  /** Whether this thread may block in `Atomics.wait` (a browser's main thread may not). */
  canBlock: boolean;
  /** Resolves when every worker spawned so far has started (browsers start them asynchronously). */
  ready(): Promise<void>;
}

function nodeFactory(wt: NodeWorkerThreads): WorkerFactory {
  return {
    canBlock: true,
    ready: async () => {},
    spawn(index, control, seq) {
      const { port1, port2 } = new wt.MessageChannel();
      const w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { control, port: port2, index, seq }, transferList: [port2] });
      w.unref(); // a waiting worker must not keep the process alive
      port1.unref?.();
      return {
        post: (msg) => port1.postMessage(msg),
        errors() {
          const out: string[] = [];
          for (let m = wt.receiveMessageOnPort(port1 as never); m; m = wt.receiveMessageOnPort(port1 as never)) {
            const msg = m.message as { kind: string; message: string };
            if (msg.kind === 'error') out.push(msg.message);
          }
          return out;
        },
      };
    },
  };
}

interface BrowserWorker {
  postMessage(msg: unknown): void;
  onmessage: ((e: { data: { kind: string; message?: string } }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
}

function browserFactory(): WorkerFactory {
  const g = globalThis as unknown as {
    Worker: new (url: string) => BrowserWorker;
    Blob: new (parts: string[], o: { type: string }) => unknown;
    URL: { createObjectURL(b: unknown): string };
    WorkerGlobalScope?: unknown;
  };
  const url = g.URL.createObjectURL(new g.Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
  const starting: Promise<void>[] = [];
  return {
    canBlock: typeof g.WorkerGlobalScope !== 'undefined',
    ready: async () => {
      await Promise.all(starting);
    },
    spawn(index, control, seq) {
      const w = new g.Worker(url);
      const errors: string[] = [];
      starting.push(
        new Promise<void>((ok) => {
          w.onmessage = (e) => {
            if (e.data.kind === 'ready') ok();
            else if (e.data.kind === 'error') errors.push(e.data.message ?? 'unknown error');
          };
          w.onerror = (e) => {
            errors.push(e.message ?? 'the worker failed to start');
            Atomics.store(new Int32Array(control), BROKEN, 1);
            ok();
          };
        }),
      );
      w.postMessage({ kind: 'start', control, index, seq });
      return { post: (msg) => w.postMessage(msg), errors: () => errors.splice(0) };
    },
  };
}

interface TeamWorker {
  link: WorkerLink;
  modules: Set<number>;
  fnsSent: number;
}

/** A module instance the team's workers run entries of. */
export interface TeamModule {
  /** Unique id of the instance (per calling thread). */
  readonly id: number;
  readonly module: WebAssembly.Module;
  /** The shared memory the module runs on. */
  readonly memory: WebAssembly.Memory;
  /** Top of the stack for worker `w` (0-based; tid w + 1). */
  stackTop(w: number): number;
}

/** The workers of this thread (one team, shared by every kernel module), started on first use. */
class Team {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  private readonly workers: TeamWorker[] = [];
  private readonly fnIds = new Map<string, number>();
  private readonly fnNames: string[] = [];
  private busy = false;

  constructor(private readonly factory: WorkerFactory) {}

  /** Starts workers until there are `n`. */
  grow(n: number): void {
    while (this.workers.length < n) {
      const link = this.factory.spawn(this.workers.length, this.control.buffer as SharedArrayBuffer, Atomics.load(this.control, SEQ));
      this.workers.push({ link, modules: new Set(), fnsSent: 0 });
    }
  }

  /** Resolves when the workers started so far can take jobs. */
  ready(): Promise<void> {
    return this.factory.ready();
  }

  private fnId(name: string): number {
    let id = this.fnIds.get(name);
    if (id === undefined) {
      id = this.fnNames.length;
      this.fnNames.push(name);
      this.fnIds.set(name, id);
    }
    return id;
  }

  /** Runs `fn(arg, tid, nth)` on `nth` threads: `local` is tid 0's call, on this thread. */
  run(mod: TeamModule, fn: string, arg: number, nth: number, local: () => void): void {
    if (this.busy) throw new Error('wmkit kernels: a parallel kernel call was made from inside another');
    this.busy = true;
    try {
      this.grow(nth - 1);
      const id = this.fnId(fn);
      for (let w = 0; w < nth - 1; w++) {
        const tw = this.workers[w] as TeamWorker;
        if (!tw.modules.has(mod.id)) {
          tw.link.post({ kind: 'module', id: mod.id, module: mod.module, memory: mod.memory, stackTop: mod.stackTop(w) });
          tw.modules.add(mod.id);
        }
        for (; tw.fnsSent < this.fnNames.length; tw.fnsSent++) tw.link.post({ kind: 'fn', id: tw.fnsSent, name: this.fnNames[tw.fnsSent] });
      }
      const c = this.control;
      Atomics.store(c, DONE, 0);
      Atomics.store(c, ERROR, 0);
      Atomics.store(c, MODULE, mod.id);
      Atomics.store(c, FN, id);
      Atomics.store(c, ARG, arg);
      Atomics.store(c, NTH, nth);
      Atomics.add(c, SEQ, 1);
      Atomics.notify(c, SEQ);
      let failure: unknown = null;
      try {
        local();
      } catch (err) {
        failure = err;
      }
      let spins = 0;
      for (;;) {
        const done = Atomics.load(c, DONE);
        if (done >= nth - 1 || Atomics.load(c, BROKEN)) break;
        // (a browser's main thread may not block: it polls)
        if (++spins > SPINS && this.factory.canBlock) Atomics.wait(c, DONE, done, 1000);
      }
      if (failure) throw failure;
      if (Atomics.load(c, ERROR) || Atomics.load(c, BROKEN)) {
        const messages = this.workers.slice(0, nth - 1).flatMap((tw) => tw.link.errors());
        const what = Atomics.load(c, BROKEN) ? 'a worker thread stopped' : `${fn} failed on a worker thread`;
        throw new Error(`wmkit kernels: ${what}: ${messages[0] ?? 'unknown error'} (WMKIT_THREADS=1 runs the kernels on one thread)`);
      }
    } finally {
      this.busy = false;
    }
  }
}

let team: Team | null = null;
let nextModuleId = 1;

/** A fresh id for a module instance. */
export function newTeamModuleId(): number {
  return nextModuleId++;
}

function theTeam(): Team {
  if (!team) {
    const wt = nodeWorkerThreads();
    if (wt) team = new Team(nodeFactory(wt));
    else if (browserWorkers()) team = new Team(browserFactory());
    else throw new Error('wmkit kernels: worker threads are unavailable');
  }
  return team;
}

/** Runs `fn(arg, tid, nth)` of `mod` on `nth` ≥ 2 threads (see `Team.run`). */
export function runOnTeam(mod: TeamModule, fn: string, arg: number, nth: number, local: () => void): void {
  theTeam().run(mod, fn, arg, nth, local);
}

/**
 * Starts the `n − 1` workers of `n` threads and resolves when they can take jobs. Needed before
 * the first parallel call in a browser, where workers start asynchronously and the calling thread
 * only polls (`initKernels` does it); in Node workers start on their own and this is optional.
 */
export async function startTeam(n: number): Promise<void> {
  if (n < 2 || !kernelThreadSupport().ok || nodeWorkerThreads()) return; // (Node's start on first use)
  const t = theTeam();
  t.grow(n - 1);
  await t.ready();
}
