/**
 * The published networks of Kurtkaya et al. 2025 (dynamical-phases-stm; docs/models/stm-rnn.md
 * §Loading the authors' networks), as our classification reads them. Their layout, one folder
 * per network:
 *
 *   <results>/lr{lr}_delay_{delay in seconds}/process_{seed}/
 *     model_final.pt          torch.save of the RNN's state_dict: W_in.weight [N, n_in], W_in.bias [N],
 *                             W_rec.weight [N, N], W_rec.bias [N], W_out.weight [n_out, N], W_out.bias [n_out]
 *     training_details.npz    loss_list, reaction_accuracy_list, reaction_reliability_list, W_rec_grad_list (per epoch)
 *     class.txt, psd_ratio.txt   their class (0 not learned, 1 limit cycle, 2 slow point, 3 unstable) and power ratio
 *
 * The folder names hold Python's repr of the floats (`lr0.1_delay_0.06`). The model is the same
 * as ours (`KURTKAYA2025_RNN`): r ← (1 − α)r + α·tanh(W_rec r + b_rec + W_in u + b_in + ε), o =
 * sigmoid(W_out r + b_out) read before the update; b_in + b_rec is our `bias`.
 */
import { type RateRNN, rateRnnFromArrays, type StmProtocol, stmProtocol } from '@wmkit/ei-rnn';
import { UserError } from '@wmkit/tensor';
import {
  KURTKAYA2025_LOSS_EPOCHS,
  type Kurtkaya2025Result,
  kurtkaya2025Networks,
  kurtkaya2025Phases,
  type StmTaskKind,
} from './kurtkaya2025';
import type { StmClass } from './kurtkaya2025-network';

/** A folder or file of the authors' layout that cannot be read as it should; the message names it and the problem. */
export class AuthorsLayoutError extends UserError {
  override name = 'AuthorsLayoutError';
}

/** A cell folder's learning rate and delay (ms): `lr0.1_delay_0.06` → { lr: 0.1, delayMs: 60 }; null when the name is not one. */
export function parseAuthorsCellName(name: string): { lr: number; delayMs: number } | null {
  const m = /^lr([0-9.eE+-]+)_delay_([0-9.eE+-]+)$/.exec(name);
  if (!m) return null;
  const lr = Number(m[1]);
  const delayMs = Math.round(Number(m[2]) * 1000 * 1e6) / 1e6;
  return Number.isFinite(lr) && lr > 0 && Number.isFinite(delayMs) && delayMs >= 0 ? { lr, delayMs } : null;
}

/** A network folder's seed: `process_7` → 7; null when the name is not one. */
export function parseAuthorsProcessName(name: string): number | null {
  const m = /^process_(\d+)$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** One tensor as the loader needs it: shape and float values. */
export interface StateTensor {
  shape: number[];
  data: ArrayLike<number> | BigInt64Array;
}

/**
 * Our network from the authors' state dict, for the protocol of `task` (the network's size from
 * W_rec). A missing tensor or a shape that does not fit is an error naming it, the file and the
 * expected shape.
 */
export function stmNetworkFromStateDict(
  sd: Record<string, StateTensor>,
  o: { task?: StmTaskKind; postMs?: number; delayMs?: number; lr?: number },
  source = 'state dict',
): { model: RateRNN; protocol: StmProtocol } {
  const get = (name: string) => {
    const t = sd[name];
    if (!t)
      throw new AuthorsLayoutError(
        `${source}: no tensor '${name}' (the authors' RNN has W_in, W_rec and W_out, each with weight and bias)`,
      );
    return t;
  };
  const wRec = get('W_rec.weight');
  const N = wRec.shape[0];
  const protocol = stmProtocol({ lr: o.lr ?? 0.01, task: { kind: o.task ?? 'dcdt', delayMs: o.delayMs ?? 0, postMs: o.postMs ?? 0 } });
  const config = { ...protocol.model, N };
  const want: Record<string, number[]> = {
    'W_in.weight': [N, config.nInputs],
    'W_in.bias': [N],
    'W_rec.weight': [N, N],
    'W_rec.bias': [N],
    'W_out.weight': [config.nOutputs, N],
    'W_out.bias': [config.nOutputs],
  };
  for (const [name, shape] of Object.entries(want)) {
    const t = get(name);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
      throw new AuthorsLayoutError(
        `${source}: '${name}' has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}] for the ${protocol.task.kind} task`,
      );
  }
  const f32 = (name: string) => {
    const d = get(name).data;
    if (d instanceof BigInt64Array) throw new AuthorsLayoutError(`${source}: '${name}' holds integers; the weights are floats`);
    return Float32Array.from(d);
  };
  const bIn = f32('W_in.bias');
  const bRec = f32('W_rec.bias');
  const bias = bIn.map((v, i) => v + bRec[i]);
  const model = rateRnnFromArrays(
    config,
    {
      w: { data: f32('W_rec.weight'), shape: [N, N] },
      sign: { data: new Float32Array(N).fill(1), shape: [N] },
      som_m: { data: new Float32Array(N * N).fill(1), shape: [N, N] },
      w_in: { data: f32('W_in.weight'), shape: [N, config.nInputs] },
      bias: { data: bias, shape: [N] },
      w_out: { data: f32('W_out.weight'), shape: [config.nOutputs, N] },
      b_out: { data: f32('W_out.bias'), shape: [config.nOutputs] },
      taus_gaus: { data: new Float32Array(N), shape: [N] },
    },
    source,
  );
  return { model, protocol: { ...protocol, model: config } };
}

/** One classified network of the authors' grid. */
export interface AuthorsNetwork {
  lr: number;
  delayMs: number;
  seed: number;
  class: StmClass;
  psdRatio: number | null;
  loss: Float32Array | null;
  /** Their class (class.txt), when present. */
  authorsClass: StmClass | null;
}

/**
 * The phase diagram of networks classified elsewhere (e.g. the authors'): the grid is every
 * learning rate, delay and seed found; cells count the networks present (a missing one is not
 * counted). Nothing is trained.
 */
export function kurtkaya2025FromClassified(
  nets: readonly AuthorsNetwork[],
  o: { postMs?: number; task?: StmTaskKind; trialsPerCue?: number } = {},
): Kurtkaya2025Result {
  if (!nets.length) throw new AuthorsLayoutError('no networks to put on the phase diagram');
  const lrs = [...new Set(nets.map((n) => n.lr))].sort((a, b) => b - a);
  const delays = [...new Set(nets.map((n) => n.delayMs))].sort((a, b) => a - b);
  const seeds = Math.max(...nets.map((n) => n.seed)) + 1;
  const postMs = o.postMs ?? 0;
  const trialsPerCue = o.trialsPerCue ?? 64;
  const networks = kurtkaya2025Networks({ lrs, delays, seeds, trialsPerCue, postMs, task: o.task });
  const byId = new Map(nets.map((n) => [`${n.lr}|${n.delayMs}|${n.seed}`, n]));
  const found = networks.map((n) => byId.get(`${n.lr}|${n.delay}|${n.seed}`) ?? null);
  const classes = found.map((n) => n?.class ?? null);
  return {
    lrs,
    delays,
    seeds,
    trialsPerCue,
    postMs,
    task: o.task ?? 'dcdt',
    networks,
    classes,
    psdRatios: found.map((n) => n?.psdRatio ?? null),
    losses: found.map((n) => (n?.loss ? n.loss.slice(0, KURTKAYA2025_LOSS_EPOCHS) : null)),
    trainedNow: 0,
    reused: nets.length,
    ...kurtkaya2025Phases({ lrs, delays, postMs, task: o.task }, networks, classes),
  };
}
