/**
 * @wmkit/data-io/node — file-system side of the run directory format (Node only).
 */
export * from './index';
export {
  atomicWriteFile,
  type CreateRunOptions,
  isProcessAlive,
  listRuns,
  MANIFEST,
  METRICS,
  RunDirectory,
  type RunRecord,
  type RunState,
  readNpyFile,
  readRun,
  writeNpyFile,
} from './run-directory';
