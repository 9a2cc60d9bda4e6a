/**
 * `wmkit reproduce kurtkaya2025 --authors <results folder> --out runs/kk-authors`: the authors'
 * published networks (their layout: `lr{lr}_delay_{s}/process_{seed}/model_final.pt` and
 * `training_details.npz`; `@wmkit/papers` kurtkaya2025-authors) classified by our pipeline and
 * put on the phase diagram, with the agreement with their own classes (class.txt).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readNpz, readTorchStateDict } from '@wmkit/data-io/node';
import {
  AuthorsLayoutError,
  type AuthorsNetwork,
  classifyStmNetwork,
  kurtkaya2025FromClassified,
  parseAuthorsCellName,
  parseAuthorsProcessName,
  type StmClass,
  type StmTaskKind,
  stmNetworkFromStateDict,
} from '@wmkit/papers';
import { stmTask } from '@wmkit/tasks';
import { initKernels, Rng } from '@wmkit/tensor';
import { startRun } from '../../run-helpers';
import { writeKurtkayaRun } from './report';

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

/** The run of `--authors`: the phase diagram of the authors' networks as classified here. */
export async function reproduceKurtkayaAuthors(o: {
  authors: string;
  out: string;
  force?: boolean;
  task: StmTaskKind;
  postMs: number;
  exponents?: boolean;
}): Promise<number> {
  const t0 = performance.now();
  const dir = resolve(o.authors);
  const nets = await loadAuthorsNetworks(dir, o);
  const run = await startRun(o.out, {
    kind: 'reproduce.kurtkaya2025',
    config: { authors: dir, task: o.task, postMs: o.postMs },
    seed: null,
    preset: 'kurtkaya2025 --authors',
    force: o.force,
  });
  const res = kurtkaya2025FromClassified(nets, { postMs: o.postMs, task: o.task });
  const withTheirs = nets.filter((n) => n.authorsClass != null);
  const agree = withTheirs.filter((n) => n.authorsClass === n.class).length;
  writeKurtkayaRun(run, res, {
    postMs: o.postMs,
    trialsPerCue: 64,
    exponents: o.exponents,
    account: `${nets.length} networks of the authors (${dir}) classified here. Cells: not learned / limit cycle / slow-point manifold, % of seeds.`,
    extra: withTheirs.length ? [`Our class agrees with their class.txt in ${agree} of ${withTheirs.length} networks.`] : [],
    seconds: (performance.now() - t0) / 1000,
  });
  return 0;
}
