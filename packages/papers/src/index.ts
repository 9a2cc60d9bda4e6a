/**
 * `@wmkit/papers`: one function per paper, each taking typed options (defaults = the paper) and
 * `{ rng, onProgress, signal }`, and returning a typed result that holds every number and array
 * its report shows. No console, no file system, no argv: the `wmkit` command, a notebook or a
 * test decides what to print and where to write. Parallel runners: `@wmkit/papers/node`.
 */
export { abortError, type Progress, type RecipeHooks, throwIfAborted } from './hooks';
export {
  checkImportedKimModel,
  convertKimModel,
  KIM_BLOCKS,
  KIM2021_PROTOCOL,
  type Kim2021Hooks,
  type Kim2021Options,
  type Kim2021Result,
  type KimBlock,
  type KimConditionSummary,
  type KimConvertOptions,
  type KimConvertResult,
  type KimImportedCheck,
  type KimLevel,
  type KimLifSummary,
  type KimModelDone,
  type KimModelJob,
  type KimModelOutcome,
  type KimModelTraining,
  type KimModelWork,
  type KimProtocol,
  type KimRecipe,
  type KimScaleOptions,
  type KimScaleResult,
  type KimScaleSummary,
  type KimTrainHooks,
  type KimTrainOptions,
  type KimTrainResult,
  type KimTrainSummary,
  kim2021,
  kim2021Model,
  kimDmsTasks,
  kimTraining,
  measureTimescales,
  scaleSynapsesExperiment,
  type TimescaleMeasurement,
  type TimescaleSummary,
  tauPerUnit,
  trainKimModel,
} from './kim2021';
export { type Perrinet2026Hooks, type Perrinet2026Options, type Perrinet2026Result, perrinet2026 } from './perrinet2026';
