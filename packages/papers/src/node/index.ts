/**
 * `@wmkit/papers/node`: the paper recipes' parallel runners on Node worker threads. Jobs carry
 * resolved parameter objects; randomness is forked per trial (or per job), never per thread, so
 * results do not depend on the number of workers.
 */

export { type Kim2021ParallelHooks, type Kim2021ParallelOptions, kim2021Parallel } from './kim2021';
export { defaultWorkers, defineWorker, type PoolOptions, runPool, type WorkerInput, type WorkerReply } from './pool';
export { type ParallelRingOptions, simulateRingParallel } from './ring';
export { papersWorkerFile, runTasks } from './run-tasks';
export type { HdScanJob, JobOf, ResultOf, RingJob, TaskName, WtaJob } from './tasks';
