/**
 * The memory a delay-SNN run needs, estimated from its config before anything is allocated, so
 * a command can refuse a size that cannot fit (N = 10⁷ asks for petabytes of weights) instead
 * of failing after minutes with an allocation error.
 */
import type { HdSnnConfig } from './config';

/**
 * Peak bytes of initialising, training and evaluating a network of `cfg`: the weights
 * (N·N·D float32), their gradient and optimiser state while training, the patterns (M·N·T
 * bytes), the simulated spikes and membrane traces of every pattern, and the Gram matrix of the
 * pinv initialisation (or the conjugate-gradient blocks above 4000 contexts). An estimate within a small factor; it errs on the large side.
 */
export function estimateHdSnnBytes(cfg: HdSnnConfig): number {
  const { N, D, M, T } = cfg;
  const weights = 4 * N * N * D;
  // gradient + momentum (SGD) or gradient + two moments (AdamW)
  const training = cfg.train.steps > 0 ? weights * (cfg.train.optimizer === 'adamw' ? 3 : 2) : 0;
  const patterns = M * N * T;
  const steps = T + cfg.backgroundSteps;
  // spikes (1 byte) and a float32 trace per neuron and step; full BPTT keeps dropout masks,
  // targets and membrane potentials of every step as well
  const simulation = M * N * steps * (cfg.train.gradient === 'full' ? 17 : 5);
  let init = 0;
  if (cfg.init.method === 'pinv') {
    const K = M * (T - D);
    const n = Math.min(K, N * D);
    // direct solve: the n × n Gram matrix; conjugate gradients (n > 4000): four n × 64 blocks,
    // one (N·D or K) × 64 product and the sparse contexts (about N·D·p entries each)
    const contexts = 4 * K * (N * D * cfg.p + 4);
    init = n <= 4000 ? 8 * n * n + (K > N * D ? 8 * N * N * D : 0) : 8 * 64 * (4 * n + Math.max(K, N * D)) + contexts;
  }
  return weights + training + patterns + simulation + init;
}
