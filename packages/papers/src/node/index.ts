/**
 * `@wmkit/papers/node`: the paper recipes' parallel runners on Node worker threads. Jobs carry
 * resolved parameter objects; randomness is forked per trial (or per job), never per thread, so
 * results do not depend on the number of workers.
 */

export { type CompteRunResult, compte2000Parallel, simulateCompteParallel, simulateCompteRun } from './compte2000';
export { type RecordedCrossTemporalInputs, recordedCrossTemporal } from './cross-temporal';
export { type HdScanParallelOptions, hdPatterns, hdScanParallel, writeRunTable } from './delay-snn';
export { type FanoInputs, fanoInputsOfRun, recordedFanoInputs, timescalesOfRun, weightsNetworkOfRun } from './ei-rnn-analyses';
export { type Kim2021ParallelHooks, type Kim2021ParallelOptions, kim2021Parallel } from './kim2021';
export {
  checkKimModelDir,
  KIM2021_PANELS_KIND,
  type Kim2021ModelsOptions,
  type Kim2021PanelsRunHooks,
  type Kim2021PanelsRunOptions,
  type KimModelsPlan,
  type KimModelWriters,
  kim2021Models,
  kim2021ModelsPlan,
  kim2021PanelNetworks,
  kim2021PanelsRun,
  kimModelDone,
  kimTaskNetwork,
} from './kim2021-models';
export { kurtkaya2025Parallel, type ParallelKurtkaya2025Hooks } from './kurtkaya2025';
export { loadAuthorsNetworks } from './kurtkaya2025-authors';
export {
  type Kurtkaya2025NetsGrid,
  type Kurtkaya2025NetsOptions,
  type Kurtkaya2025NetsPlan,
  kurtkaya2025KnownNetworks,
  kurtkaya2025Nets,
  kurtkaya2025NetsPlan,
} from './kurtkaya2025-nets';
export {
  defaultWorkers,
  defineWorker,
  errorFromWorker,
  type PoolOptions,
  runPool,
  type WorkerErrorKind,
  type WorkerInput,
  type WorkerReply,
} from './pool';
export { type RecordedCounts, type RecordingReadOptions, readOdrDataset, readSpikeCounts, recordedSpikeCounts } from './recordings';
export { type ParallelRingOptions, type RingRunResult, ringOnWorkers, simulateRingParallel, simulateRingRun } from './ring';
export { papersWorkerFile, runTasks } from './run-tasks';
export {
  type EiRunFigures,
  type EiRunWriters,
  eiRunWriters,
  type RunFigure,
  type RunFigureEntry,
  type RunStarter,
  STM_RUN_KIND,
  type StartRunOptions,
  type StmNetworkFigures,
  startRunDirectory,
  startStmRun,
  stmFewTrialsNote,
  writeRunOutputs,
  writeStmNetwork,
} from './run-writer';
export {
  completeRun,
  MissingRunError,
  medianTausOfRun,
  type RateRunRecord,
  readHdRun,
  readLifRun,
  readRateRun,
  readRunArrays,
  readTimescalesRun,
  requireCompleteRun,
} from './runs';
export {
  chooseSweepSplit,
  otherRunnableThreads,
  runSweepOnWorkers,
  type SweepFailure,
  type SweepSplit,
  type SweepSplitInputs,
  type SweepWorkersOptions,
  sweepLogFile,
  sweepSplit,
} from './sweep';
export { runSweepInterruptible, SWEEP_COLLECT_KIND, writeSweepCollect } from './sweep-command';
export type { CompteJob, HdScanJob, JobOf, ResultOf, RingJob, StmCellJob, TaskName, WtaJob } from './tasks';
export { wtaOnWorkers } from './wta';
