/**
 * @wmkit/data-io — the run directory format and array interchange (.npy), isomorphic.
 * File-system helpers (RunDirectory, readNpyFile, …) are in `@wmkit/data-io/node`.
 */
export { decodeNpy, encodeNpy, type NpyArray, type NpyDtype, NpyFormatError, npyDtypeOf, npyToFloat32 } from './npy';
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
} from './run-manifest';
