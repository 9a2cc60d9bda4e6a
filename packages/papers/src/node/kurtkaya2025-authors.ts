/**
 * The authors' published networks of Kurtkaya et al. 2025 read from their layout (Node only):
 * `lr{lr}_delay_{s}/process_{seed}/model_final.pt` (torch.save) and `training_details.npz`, with
 * their own class in `class.txt` when present; each network is classified by our pipeline
 * (`classifyStmNetwork`) so that `kurtkaya2025FromClassified` puts them on the phase diagram.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readNpz, readTorchStateDict } from '@wmkit/data-io/node';
import { stmTask } from '@wmkit/tasks';
import { initKernels, Rng } from '@wmkit/tensor';
import type { StmTaskKind } from '../kurtkaya2025';
import {
  AuthorsLayoutError,
  type AuthorsNetwork,
  parseAuthorsCellName,
  parseAuthorsProcessName,
  stmNetworkFromStateDict,
} from '../kurtkaya2025-authors';
import { classifyStmNetwork, type StmClass } from '../kurtkaya2025-network';

/** Reads and classifies every network under `dir` (the folder holding the `lr…_delay_…` folders). */
export async function loadAuthorsNetworks(dir: string, o: { task: StmTaskKind; postMs: number }): Promise<AuthorsNetwork[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AuthorsLayoutError(`--authors ${dir}: no such folder`);
  await initKernels();
  const nets: AuthorsNetwork[] = [];
  for (const cellName of readdirSync(dir).sort()) {
    const cell = parseAuthorsCellName(cellName);
    if (!cell) continue;
    for (const procName of readdirSync(join(dir, cellName)).sort()) {
      const seed = parseAuthorsProcessName(procName);
      if (seed == null) continue;
      const p = join(dir, cellName, procName);
      const ptFile = join(p, 'model_final.pt');
      const npzFile = join(p, 'training_details.npz');
      for (const f of [ptFile, npzFile])
        if (!existsSync(f))
          throw new AuthorsLayoutError(
            `${p}: no ${f.slice(p.length + 1)} (each network folder holds model_final.pt and training_details.npz)`,
          );
      const { model, protocol } = stmNetworkFromStateDict(
        readTorchStateDict(readFileSync(ptFile), ptFile),
        { ...o, ...cell, delayMs: cell.delayMs },
        ptFile,
      );
      const details = readNpz(readFileSync(npzFile), npzFile);
      for (const k of ['reaction_accuracy_list', 'reaction_reliability_list'])
        if (!details[k]) throw new AuthorsLayoutError(`${npzFile}: no array '${k}'`);
      const task = stmTask(protocol.task);
      const c = classifyStmNetwork(
        model,
        task,
        details.reaction_accuracy_list.data as ArrayLike<number>,
        details.reaction_reliability_list.data as ArrayLike<number>,
        new Rng(seed),
      );
      const classFile = join(p, 'class.txt');
      const theirs = existsSync(classFile) ? Number(readFileSync(classFile, 'utf8').trim()) : Number.NaN;
      nets.push({
        ...cell,
        seed,
        class: c.class,
        psdRatio: c.psdRatio,
        loss: details.loss_list ? Float32Array.from(details.loss_list.data as ArrayLike<number>) : null,
        authorsClass: [0, 1, 2, 3].includes(theirs) ? (theirs as StmClass) : null,
      });
    }
  }
  if (!nets.length)
    throw new AuthorsLayoutError(
      `--authors ${dir}: no lr{lr}_delay_{s}/process_{seed}/ network folders in it (give the folder that holds them, e.g. results_finetune)`,
    );
  return nets;
}
