/**
 * The memory training a rate RNN needs, estimated from its config before anything is
 * allocated, so a command can refuse a size that cannot fit (N = 10⁶ units asks for terabytes)
 * instead of failing after minutes with an allocation error.
 */
import type { RateRNNConfig, TrainConfig } from './config';

/**
 * Peak bytes of training `model` with `train` on a task of `steps` steps: the recurrent,
 * input and output weights with their masks, gradients and optimiser moments (float32, ×5),
 * and backpropagation through time, which keeps each unit's state, rate and input current at
 * every step of every trial of the larger of a training batch and an evaluation batch.
 */
export function estimateRateRnnBytes(model: RateRNNConfig, train: TrainConfig, steps: number): number {
  const { N, nInputs, nOutputs } = model;
  const weights = 4 * 5 * (N * N + N * nInputs + N * nOutputs + 2 * N);
  const batch = Math.max(train.batchSize, train.evalTrials);
  const activations = 4 * batch * steps * (4 * N + nInputs + 3 * nOutputs);
  return weights + activations;
}
