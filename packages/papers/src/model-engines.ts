/**
 * Which engines each model offers: its fused wasm kernels (the default, on the CPU) and, where it
 * has one, its TensorFlow.js form, which runs on whatever backend `@wmkit/tensor` selected.
 */

/** Which engines a model offers and what each would run on here. */
export interface ModelEngines {
  model: string;
  /** Commands that take --engine for it. */
  commands: string;
  /** The default engine: the fused wasm kernels (on the CPU, whatever the tfjs backend), or plain JavaScript where the model has no kernel. */
  kernels: 'wasm' | 'JavaScript';
  /** The tfjs backend `--engine tfjs` would run it on, or null where the model has no tfjs form. */
  tfjs: string | null;
}

const MODELS: [model: string, commands: string, tfjs: boolean, kernels?: 'JavaScript'][] = [
  ['E/I rate RNN (Kim)', 'train ei-rnn, simulate <run>, reproduce kim2021', true],
  ['LIF conversion (Kim)', 'convert lif, simulate <run> --spiking', true],
  ['STM RNN (Kurtkaya)', 'train stm-rnn, reproduce kurtkaya2025', true],
  ['ring attractors (Wimmer)', 'simulate attractor, reproduce wimmer2014', true],
  ['delay SNN (Perrinet)', 'train/evaluate/scan delay-snn', true],
  ['Földiák sparse coding', 'reproduce foldiak1990', true, 'JavaScript'],
  ['spiking ring (Compte)', 'simulate compte2000, reproduce compte2000', false],
];

/** The models and their engines; `tfjsBackend` is the backend @wmkit/tensor selected at run time. */
export function modelEngines(tfjsBackend: string): ModelEngines[] {
  return MODELS.map(([model, commands, tfjs, kernels]) => ({
    model,
    commands,
    kernels: kernels ?? 'wasm',
    tfjs: tfjs ? tfjsBackend : null,
  }));
}
