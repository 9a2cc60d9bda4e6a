/**
 * @wmkit/data-io — the run directory format and array interchange (.npy), isomorphic.
 * File-system helpers (RunDirectory, readNpyFile, …) are in `@wmkit/data-io/node`.
 */

export { ConfigError, describeConfigIssues, notAnObject } from './config-issues';
export {
  describeMat,
  isMatV73,
  type MatCell,
  type MatChar,
  type MatClass,
  type MatFile,
  MatFormatError,
  type MatLogical,
  type MatNumeric,
  type MatNumericData,
  type MatSparse,
  type MatStruct,
  type MatValue,
  type MatWritable,
  matToFloat64,
  matToString,
  readMat,
  skippedVariablesMessage,
  sparseToDense,
  writeMat,
} from './mat';
export { METRICS, type MetricInfo, metricInfo, metricLabel } from './metrics';
export { decodeNpy, encodeNpy, type NpyArray, type NpyDtype, NpyFormatError, npyDtypeOf, npyToFloat32 } from './npy';
export { type OdrSessionsData, odrDatasetToMat } from './odr-mat';
export {
  nwbTrialSpikes,
  ODR_LAYOUTS,
  type OdrRecordedSession,
  type OdrRecording,
  odrFromMat,
  odrFromNwb,
  type RecordedCounts,
  type RecordedSpikes,
  type RecordedSpikeTimes,
  RecordingFormatError,
  SPIKE_LAYOUTS,
  type SpikeLayoutOptions,
  spikesFromMat,
  spikesFromNpy,
  spikesFromNwb,
} from './recordings';
export {
  type ArrayEntry,
  arrayEntrySchema,
  type FigureEntry,
  figureEntrySchema,
  parseRunManifest,
  RUN_FORMAT_VERSION,
  RunFormatError,
  type RunManifest,
  type RunStatus,
  runManifestSchema,
  runStatusSchema,
} from './run-manifest';
export { readNpz, readTorchStateDict, TorchFormatError, type TorchTensor } from './torch-state-dict';
