/**
 * One short-term-memory network of Kurtkaya et al. 2025 as `wmkit train stm-rnn` sets it up and
 * reports it: a resolved protocol with changes applied (the task kind, delay, post-response
 * period, learning rate, epochs and trials per cue), and the result line of a trained network.
 */
import { parseStmProtocol, type StmProtocol, stmEpochs } from '@wmkit/ei-rnn';
import type { StmTaskKind } from './kurtkaya2025';
import type { StmNetworkResult } from './kurtkaya2025-network';

/** Changes to an STM network's protocol (each left out keeps the protocol's value). */
export interface StmProtocolChanges {
  task?: StmTaskKind;
  delayMs?: number;
  postMs?: number;
  lr?: number;
  epochs?: number;
  trialsPerCue?: number;
}

/**
 * `resolved` with `c` applied, validated by `parseStmProtocol` (errors name `where`): a new task
 * kind also sets the network's inputs and outputs (one for delayed activation, one per cue
 * otherwise); the epochs follow the learning rate (`stmEpochs`, max(1000, 30/lr)) unless given
 * in `c` or `keepEpochs`.
 */
export function changeStmProtocol(resolved: StmProtocol, c: StmProtocolChanges, keepEpochs: boolean, where: string): StmProtocol {
  const task = {
    ...resolved.task,
    ...(c.task != null ? { kind: c.task } : {}),
    ...(c.delayMs != null ? { delayMs: c.delayMs } : {}),
    ...(c.postMs != null ? { postMs: c.postMs } : {}),
  };
  const io = task.kind === 'delayed-activation' ? 1 : task.cues;
  const lr = c.lr ?? resolved.lr;
  const changed = {
    task,
    model: c.task != null ? { ...resolved.model, nInputs: io, nOutputs: io } : resolved.model,
    lr,
    epochs: c.epochs ?? (keepEpochs ? resolved.epochs : stmEpochs(lr)),
    trialsPerCue: c.trialsPerCue ?? resolved.trialsPerCue,
  };
  return parseStmProtocol(changed, resolved, where);
}

/** The result line of a trained STM network: outcome, mechanism, epochs, time and (with its dynamics) the counts of its fixed and slow points. */
export function stmNetworkLine(
  r: StmNetworkResult,
  seed: number,
  points: { fixedPoints?: number; stableFixedPoints?: number; slowPoints?: number },
): string {
  const { lr, epochs } = r.config;
  const mechanism = r.mechanism ? ` (${r.mechanism}, power ratio ${r.psdRatio?.toFixed(3)})` : '';
  const dyn = r.dynamics
    ? `; ${points.fixedPoints} fixed points (${points.stableFixedPoints} stable), ${points.slowPoints} slow points`
    : '';
  return `✓ lr ${lr}, delay ${r.config.task.delayMs} ms, seed ${seed}: ${r.outcome}${mechanism} after ${epochs} epochs, ${r.seconds.toFixed(1)} s${dyn}`;
}
