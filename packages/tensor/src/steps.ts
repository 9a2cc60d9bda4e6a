/**
 * Long loops written once, run two ways. A long computation is a generator that `yield`s between
 * units of work (a trial, a training step, a presentation) and `return`s its result:
 *
 * - `runSteps(gen)` drives it to the end synchronously (the plain function a caller expects);
 * - `runStepsYielding(gen, { signal })` drives it in slices of about `sliceMs` milliseconds and
 *   lets the event loop run between slices, so a Ctrl-C / SIGTERM handler, a progress display or
 *   an `AbortSignal` gets through while the work goes on; it rejects with an `AbortError` when the
 *   signal fires.
 *
 * Both run the same code in the same order, so the results are identical. JavaScript cannot
 * pre-empt a synchronous loop, which is why the yield points are written into the loops.
 *
 * @example
 * ```ts
 * function* sum(n: number): StepGenerator<number> {
 *   let s = 0;
 *   for (let i = 0; i < n; i++) { s += i; yield; }
 *   return s;
 * }
 * runSteps(sum(10)); // 45
 * await runStepsYielding(sum(10)); // 45, letting the event loop run every ~50 ms
 * ```
 */

/** A computation that yields between its units of work and returns `T`. */
export type StepGenerator<T> = Generator<void, T, void>;

/** Runs a step generator to its end, synchronously, and returns its result. */
export function runSteps<T>(gen: StepGenerator<T>): T {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}

/** How `runStepsYielding` slices the work. */
export interface YieldingOptions {
  /** Stops the work at the next yield point; the promise then rejects with an `AbortError`. */
  signal?: AbortSignal;
  /** Milliseconds of work between two turns of the event loop (default 50). */
  sliceMs?: number;
}

function abortReason(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return Object.assign(new Error(typeof reason === 'string' ? reason : 'the run was stopped'), { name: 'AbortError' });
}

/** One turn of the event loop (setImmediate where it exists, else a zero timeout). */
export function nextTurn(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * Runs a step generator to its end, letting the event loop run about every `sliceMs` ms of work
 * (signal handlers, timers, I/O), and checking `signal` at each of those turns.
 */
export async function runStepsYielding<T>(gen: StepGenerator<T>, o: YieldingOptions = {}): Promise<T> {
  const slice = o.sliceMs ?? 50;
  let start = performance.now();
  try {
    for (;;) {
      const r = gen.next();
      if (r.done) return r.value;
      if (performance.now() - start >= slice) {
        await nextTurn();
        if (o.signal?.aborted) throw abortReason(o.signal);
        start = performance.now();
      }
    }
  } finally {
    gen.return(undefined as T);
  }
}
