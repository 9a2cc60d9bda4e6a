/**
 * @wmkit/data-io/node — file-system side of the run directory format (Node only).
 */

export { mergeDeep, parseSetValue, parseWithSchema, readConfigFile, setPatch } from './config-patch';
export { describeDataFile, readMatFile } from './describe-file';
export {
  type Hdf5Array,
  Hdf5FormatError,
  type Hdf5Node,
  isHdf5File,
  listHdf5,
  type MatV73Variable,
  NWB_VERSION,
  type NwbContent,
  type NwbRecording,
  type NwbTimeSeries,
  type NwbTrials,
  type NwbUnits,
  readHdf5Dataset,
  readMatV73,
  readNwb,
  writeNwb,
} from './hdf5';
export * from './index';
export { availableMemory, formatBytes } from './memory';
export { checkOutputPath } from './output-path';
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
export { exportRun, loadRunArrays, type RunExport, runToMat, runToNwb } from './run-export';
export {
  acquireRunLock,
  describeWriter,
  LOCK,
  type LockHolder,
  lockHolder,
  processStartTime,
  type RunLock,
  staleAfterSeconds,
  thisWriter,
  type Writer,
  type WriterState,
  writerState,
} from './run-lock';
export {
  flattenMetrics,
  interruptSweepRuns,
  type LoadSweepOptions,
  loadSweep,
  pendingSweepRuns,
  type RunStatus,
  type SlurmOptions,
  type Sweep,
  type SweepJob,
  type SweepRun,
  type SweepTable,
  sbatchLines,
  sbatchPath,
  shellQuote,
  slurmScript,
  sweepRunStatus,
  sweepTable,
} from './sweep';
export { createViewServer, isLoopbackAddress, isLoopbackHost, MAX_IN_FLIGHT, MAX_URL_LENGTH, safeJoin } from './view-server';
