/**
 * `@wmkit/papers`: one function per paper, each taking typed options (defaults = the paper) and
 * `{ rng, onProgress, signal }`, and returning a typed result that holds every number and array
 * its report shows. No console, no file system, no argv: the `wmkit` command, a notebook or a
 * test decides what to print and where to write. Parallel runners: `@wmkit/papers/node`.
 */
export { abortError, type Progress, type RecipeHooks, throwIfAborted } from './hooks';
export { type Perrinet2026Hooks, type Perrinet2026Options, type Perrinet2026Result, perrinet2026 } from './perrinet2026';
