/**
 * What every paper function takes besides its options: where its randomness comes from, where it
 * reports progress, and how it is stopped. A paper function never prints, never touches the file
 * system and never reads argv: the CLI (or a notebook, or a test) does that with what it returns.
 */
import type { Rng } from '@wmkit/tensor';

/** Progress of a long recipe: `done` of `total` units of the named stage. */
export interface Progress {
  /** What is running, in a few words (e.g. 'bump: simulating', 'training seed 3'). */
  stage: string;
  done: number;
  total: number;
}

/** The hooks every recipe accepts. */
export interface RecipeHooks {
  /** The random stream (default: a new `Rng(options.seed)`); forked per trial, never per thread. */
  rng?: Rng;
  /** Called as work completes (often; throttle in the caller). */
  onProgress?: (p: Progress) => void;
  /** Stops the recipe between units of work; it then rejects with an `AbortError`. */
  signal?: AbortSignal;
}

/** Throws the signal's reason (an `AbortError`) if the recipe was asked to stop. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError(signal);
}

/** The error a recipe rejects with when its signal fires. */
export function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return Object.assign(new Error(typeof reason === 'string' ? reason : 'the run was stopped'), { name: 'AbortError' });
}
