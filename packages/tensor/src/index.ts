/**
 * @wmkit/tensor — the foundation of wmkit: the one TensorFlow.js core, backend
 * selection, gradient registration, fast ops, the seeded splittable Rng and the
 * plain NDArray type used at every boundary.
 */
import './gradients';

export {
  BACKEND_NAMES,
  type BackendAttempt,
  type BackendInfo,
  type BackendName,
  BackendUnavailableError,
  backendInfo,
  type InitBackendOptions,
  initBackend,
  isNode,
} from './backend';
export { detExp, detLog, detLogGamma } from './detmath';
export { isUserError, ShapeError, UserError } from './errors';
export { gradientsRegistered } from './gradients';
export {
  checkSizes,
  defineKernelModule,
  type FieldType,
  initKernels,
  KERNEL_TRANSFER,
  type KernelBinaries,
  KernelBuffer,
  KernelHost,
  type KernelInfo,
  type KernelModule,
  Kernels,
  type KernelTransfer,
  kernelInfo,
  kernels,
  kernelThreadSupport,
  kernelThreads,
  type LeakyScanArgs,
  type LeakyScanGrads,
  type ModuleExports,
  parseThreadCount,
  type ReadoutLossArgs,
  type RelaxedSimdSupport,
  relaxedSimdSupport,
  runtimeHasRelaxedSimd,
  StructLayout,
  setKernelThreads,
  setRelaxedSimd,
  simulateNoThreadSupport,
  type ThreadCapabilities,
  type ThreadSupport,
  threadSupportOf,
} from './kernels';
export { matMul, stopGradient } from './matmul';
export {
  assertShape,
  assertValues,
  describeValueRule,
  firstInvalidValue,
  formatIndex,
  formatShape,
  fromTensor,
  fromTensorSync,
  type InvalidValue,
  type NDArray,
  type NumericArray,
  ndarray,
  type Shape,
  sizeOf,
  toTensor,
  unravelIndex,
  type ValueRule,
  zeros,
} from './ndarray';
export { Adam, type AdamOptions, clipGradNorm, hasNonFinite, type Optimizer, type Param, SgdMomentum, type SgdOptions } from './optim';
export { Rng } from './rng';
export { nextTurn, runSteps, runStepsYielding, type StepGenerator, type YieldingOptions } from './steps';
export type { Rank, Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D, Variable } from './tf';
export { tf } from './tf';
export { fastWasmKernelsInstalled, useFastWasmKernels, useStockWasmKernels } from './wasm-kernels';
