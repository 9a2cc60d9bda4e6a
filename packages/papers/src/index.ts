/**
 * `@wmkit/papers`: one function per paper, each taking typed options (defaults = the paper) and
 * `{ rng, onProgress, signal }`, and returning a typed result that holds every number and array
 * its report shows. No console, no file system, no argv: the `wmkit` command, a notebook or a
 * test decides what to print and where to write. Parallel runners: `@wmkit/papers/node`.
 */
export {
  type Compte2000Hooks,
  type Compte2000Options,
  type Compte2000Result,
  type Compte2000Wimmer,
  compte2000,
} from './compte2000';
export {
  COMPTE_SURROGATE_FILE,
  compte2000Outputs,
  compte2000WimmerMetrics,
  compte2000WimmerRows,
  compte2000WimmerSection,
  compteRunOutputs,
  compteSummaryText,
} from './compte2000-outputs';
export { compte2000DistractorRows, compte2000Report } from './compte2000-report';
export {
  COMPTE2000_SURROGATE,
  type CompteSurrogate,
  type CompteSurrogateConfig,
  compteSurrogate,
  compteSurrogateProblem,
} from './compte2000-surrogate';
export * from './delay-snn-runs';
export * from './ei-rnn-runs';
export {
  type Foldiak1990Hooks,
  type Foldiak1990Options,
  type Foldiak1990Result,
  type Foldiak1990Seed,
  foldiak1990,
} from './foldiak1990';
export {
  type AlphabetAssociator,
  type AlphabetCodePoint,
  type Foldiak1990AlphabetOptions,
  type Foldiak1990AlphabetResult,
  type Foldiak1990AlphabetSeed,
  foldiak1990Alphabet,
} from './foldiak1990-alphabet';
export {
  foldiak1990AlphabetCodeRows,
  foldiak1990AlphabetReport,
  foldiak1990AlphabetRows,
  foldiak1990AlphabetSummary,
  foldiak1990AssociatorRows,
} from './foldiak1990-alphabet-report';
export {
  type Foldiak1990Config,
  foldiak1990Config,
  foldiak1990ConfigOfRun,
  foldiak1990ConfigSchema,
} from './foldiak1990-config';
export {
  type Foldiak1990RunResult,
  foldiak1990AlphabetOutputs,
  foldiak1990AlphabetRunResult,
  foldiak1990Outputs,
  foldiak1990RunConfig,
  foldiak1990RunResult,
} from './foldiak1990-outputs';
export { foldiak1990Report, foldiak1990Rows, foldiak1990Summary } from './foldiak1990-report';
export { abortError, type Progress, type RecipeHooks, throwIfAborted } from './hooks';
export {
  checkImportedKimModel,
  checkImportedKimModelSteps,
  convertKimModel,
  convertKimModelSteps,
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
export {
  finiteMedian,
  type KimCrossTemporalOptions,
  type KimCrossTemporalResult,
  type KimRetrainExperiment,
  type KimRetrainExperimentOptions,
  type KimRetrainResult,
  type KimSubgroupOptions,
  type KimSubgroupResult,
  type KimSubgroupScaling,
  kimCrossTemporal,
  kimRetrain,
  kimRetrainExperiment,
  kimSubgroups,
} from './kim2021-analyses';
export { kim2021ConfigOfRun, kim2021PanelOutputs, kim2021RunConfig, kim2021RunResult } from './kim2021-outputs';
export {
  KIM_PANEL_DEFAULTS,
  KIM_PANELS,
  KIM_SYNAPSE_CLASSES,
  KIM_TASK_MEASURES,
  type KimPanel,
  type KimPanelNetwork,
  type KimPanelNetworkResult,
  type KimPanelOptions,
  type KimPanelsResult,
  type KimTaskComparison,
  type KimTaskMeasure,
  type KimTaskModelWork,
  type KimUnbiasedSummary,
  kim2021PanelMetrics,
  kim2021Panels,
  kimTaskModel,
  kimTaskRecipe,
  kimUnbiasedSummary,
  unbiasedWindowMs,
} from './kim2021-panels';
export {
  KIM_PANEL_FIGURES,
  type Kim2021Text,
  kim2021Metrics,
  kim2021PanelsReport,
  kim2021PanelsSummary,
  kim2021Report,
  kim2021Text,
} from './kim2021-report';
export {
  HICK_MAX_N,
  KRIENER2020_DECISION,
  KRIENER2020_SERIES,
  KRIENER2020_SIZES,
  type Kriener2020Benchmark,
  type Kriener2020DeltaRow,
  type Kriener2020Fit,
  type Kriener2020Options,
  type Kriener2020Params,
  type Kriener2020Result,
  type Kriener2020Series,
  kriener2020,
  kriener2020DeltaSweep,
  kriener2020NoiseBreakdown,
  kriener2020Params,
  type NoiseBreakdownPoint,
  type NoiseBreakdownResult,
} from './kriener2020';
export {
  type Kriener2020Config,
  type Kriener2020DeltaConfig,
  kriener2020Config,
  kriener2020ConfigOfRun,
  kriener2020ConfigSchema,
  kriener2020DeltaConfig,
  kriener2020DeltaConfigSchema,
} from './kriener2020-config';
export { kriener2020RunResult } from './kriener2020-outputs';
export { kriener2020Report, kriener2020Rows, kriener2020Summary } from './kriener2020-report';
export {
  KURTKAYA2025_BETA,
  KURTKAYA2025_BETA_NO_MEMORY,
  KURTKAYA2025_BETA_SP,
  KURTKAYA2025_FULL,
  KURTKAYA2025_LOSS_EPOCHS,
  KURTKAYA2025_PAPER_LRS,
  KURTKAYA2025_QUICK,
  type Kurtkaya2025Cell,
  type Kurtkaya2025Grid,
  type Kurtkaya2025Hooks,
  type Kurtkaya2025Known,
  type Kurtkaya2025Network,
  type Kurtkaya2025Options,
  type Kurtkaya2025Result,
  kurtkaya2025,
  kurtkaya2025NetworkId,
  kurtkaya2025Networks,
  kurtkaya2025Phases,
  kurtkaya2025SweepSpec,
  paperSlopeLine,
  STM_TASK_KINDS,
  type StmTaskKind,
} from './kurtkaya2025';
export {
  AuthorsLayoutError,
  type AuthorsNetwork,
  kurtkaya2025FromClassified,
  parseAuthorsCellName,
  parseAuthorsProcessName,
  type StateTensor,
  stmNetworkFromStateDict,
} from './kurtkaya2025-authors';
export {
  type Kurtkaya2025LossByClass,
  type Kurtkaya2025PsdRatios,
  kurtkaya2025LossByClass,
  kurtkaya2025PsdRatios,
  type LossClassName,
} from './kurtkaya2025-classes';
export {
  type Kurtkaya2025GridConfig,
  type Kurtkaya2025GridName,
  kurtkaya2025GridConfig,
  kurtkaya2025GridOfRun,
  kurtkaya2025GridSchema,
} from './kurtkaya2025-config';
export {
  KURTKAYA2025_EXPONENTS,
  type Kurtkaya2025Branch,
  type Kurtkaya2025Exponents,
  kurtkaya2025ExponentLines,
  kurtkaya2025ExponentRows,
  kurtkaya2025Exponents,
} from './kurtkaya2025-exponents';
export {
  classifyStmNetwork,
  STM_CLASS,
  type StmClass,
  type StmDynamics,
  type StmNetworkHooks,
  type StmNetworkOptions,
  type StmNetworkResult,
  stmDynamics,
  trainStmNetwork,
  trainStmNetworkSteps,
} from './kurtkaya2025-network';
export {
  KURTKAYA2025_RANK2_CAPTION,
  KURTKAYA2025_TOY_CAPTION,
  kurtkaya2025AuthorsAccount,
  kurtkaya2025GridNotes,
  kurtkaya2025Outputs,
  kurtkaya2025Rank2Outputs,
  kurtkaya2025ToyOutputs,
  kurtkaya2025TrainedAccount,
} from './kurtkaya2025-outputs';
export {
  KURTKAYA2025_RANK2_GRID,
  type Kurtkaya2025Rank2,
  kurtkaya2025Rank2,
  kurtkaya2025Rank2Grid,
  kurtkaya2025Rank2Line,
  kurtkaya2025Rank2Lines,
  kurtkaya2025Rank2Rows,
  type Rank2Class,
  type Rank2Grid,
  type Rank2Net,
  type Rank2Portrait,
  type Rank2Row,
  type Rank2Task,
  type Rank2Training,
  rank2Init,
  rank2LatentStep,
  rank2LatentTrajectory,
  rank2LossGrad,
  rank2Mechanism,
  rank2Outputs,
  rank2Params,
  rank2Planted,
  rank2Portrait,
  rank2Sharpness,
  rank2Solves,
  rank2Target,
  rank2Train,
  rank2WithParams,
} from './kurtkaya2025-rank2';
export { kurtkaya2025FewTrials, kurtkaya2025FitSummary, kurtkaya2025Report, kurtkaya2025Rows } from './kurtkaya2025-report';
export {
  type Kurtkaya2025Toy,
  kurtkaya2025Toy,
  TOY_CYCLE_PHASE,
  TOY_PASSAGE_HALF_WIDTH,
  type ToyMechanism,
  toyCriticalLrSimulated,
  toyCriticalLrSimulationTheory,
  toyCriticalLrTheory,
  toyField,
  toyGradientDescentConverges,
  toyOptimum,
  toyResponseTime,
  toyTargetParameter,
} from './kurtkaya2025-toy';
export * from './model-engines';
export {
  csvRows,
  kriener2020DeltaOutputs,
  kriener2020Outputs,
  type RunArray,
  type RunOutputs,
  wimmer2014Outputs,
} from './outputs';
export { type Perrinet2026Hooks, type Perrinet2026Options, type Perrinet2026Result, perrinet2026 } from './perrinet2026';
export { fixedOrNa, type PaperReport, type PaperReportSection, type PaperReportTable, pValueText } from './report';
export { type RingRunSummary, ringRunOutputs, summarizeRingRun } from './ring-run';
export { type RingRun, type RingRunner, ringInThisThread, type WtaRun, type WtaRunner, wtaInThisThread } from './runners';
export {
  type BatteryColumn,
  batteryTable,
  type GapHint,
  GapNotes,
  recordingGapHint,
  type Wimmer2014Tables,
  type WimmerRecordedReportOptions,
  type WimmerRecordedTables,
  wimmer2014FullReport,
  wimmer2014GapHint,
  wimmer2014Tables,
  wimmerBatteryMetrics,
  wimmerRecordedReport,
  wimmerRecordedTables,
} from './wimmer-battery';
export {
  checkWimmer2014,
  WIMMER2014_MODEL_NAMES,
  type Wimmer2014Hooks,
  type Wimmer2014Model,
  type Wimmer2014Options,
  type Wimmer2014Result,
  wimmer2014,
} from './wimmer2014';
export { type Wimmer2014ReportOptions, wimmer2014Metrics, wimmer2014Report, wimmer2014SummaryRows } from './wimmer2014-report';
