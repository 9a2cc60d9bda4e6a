/**
 * `@wmkit/papers`: one function per paper, each taking typed options (defaults = the paper) and
 * `{ rng, onProgress, signal }`, and returning a typed result that holds every number and array
 * its report shows. No console, no file system, no argv: the `wmkit` command, a notebook or a
 * test decides what to print and where to write. Parallel runners: `@wmkit/papers/node`.
 */
export { abortError, type Progress, type RecipeHooks, throwIfAborted } from './hooks';
export {
  KURTKAYA2025_BETA,
  KURTKAYA2025_FULL,
  KURTKAYA2025_PAPER_LRS,
  KURTKAYA2025_QUICK,
  type Kurtkaya2025Cell,
  type Kurtkaya2025Grid,
  type Kurtkaya2025Hooks,
  type Kurtkaya2025Network,
  type Kurtkaya2025Options,
  type Kurtkaya2025Result,
  kurtkaya2025,
  kurtkaya2025NetworkId,
  kurtkaya2025Networks,
  kurtkaya2025Phases,
  paperSlopeLine,
} from './kurtkaya2025';
export {
  STM_CLASS,
  type StmClass,
  type StmDynamics,
  type StmNetworkHooks,
  type StmNetworkOptions,
  type StmNetworkResult,
  stmDynamics,
  trainStmNetwork,
} from './kurtkaya2025-network';
export { type Perrinet2026Hooks, type Perrinet2026Options, type Perrinet2026Result, perrinet2026 } from './perrinet2026';
