/**
 * The config of a Kurtkaya et al. 2025 phase diagram, as a reproduction validates and records it:
 * the grid (learning rates, delays, seeds per cell, trials per cue), the post-response period and
 * the task. Times are whole numbers of the task's steps (the task owns dt).
 */
import { KURTKAYA2025_DCDT } from '@wmkit/tasks';
import { z } from 'zod';
import { KURTKAYA2025_FULL, KURTKAYA2025_QUICK, STM_TASK_KINDS } from './kurtkaya2025';
import { KURTKAYA2025_EXPONENTS } from './kurtkaya2025-exponents';

const DT_MS = KURTKAYA2025_DCDT.dtMs;
const taskSteps = (what: string) =>
  z
    .number()
    .refine(
      (v) => v >= 0 && Math.abs(v / DT_MS - Math.round(v / DT_MS)) <= 1e-9 * Math.max(1, v / DT_MS),
      `${what} must be ≥ 0 and a multiple of the task's dt (${DT_MS} ms)`,
    );

/** What determines a phase diagram's result (a reproduction's run.json `config`, less the networks' folder). */
export const kurtkaya2025GridSchema = z.strictObject({
  lrs: z.array(z.number().positive()).min(1),
  delays: z.array(taskSteps('a delay')).min(1),
  seeds: z.number().int().min(1),
  trialsPerCue: z.number().int().min(1),
  postMs: taskSteps('the post period'),
  task: z.enum(STM_TASK_KINDS),
});

/** A phase diagram's config (`kurtkaya2025GridSchema`). */
export type Kurtkaya2025GridConfig = z.infer<typeof kurtkaya2025GridSchema>;

/** The grids of the reproduction: reduced (`KURTKAYA2025_QUICK`), the paper's (`KURTKAYA2025_FULL`), both exponents' (`KURTKAYA2025_EXPONENTS`). */
export type Kurtkaya2025GridName = 'quick' | 'full' | 'exponents';

/** The config of a named grid, without a post period, on the delayed cue-discrimination task. */
export function kurtkaya2025GridConfig(name: Kurtkaya2025GridName): Kurtkaya2025GridConfig {
  const p = { quick: KURTKAYA2025_QUICK, full: KURTKAYA2025_FULL, exponents: KURTKAYA2025_EXPONENTS }[name];
  return { lrs: [...p.lrs], delays: [...p.delays], seeds: p.seeds, trialsPerCue: p.trialsPerCue, postMs: 0, task: 'dcdt' };
}

/** The grid of a recorded run.json `config` (the networks' folder and the epoch rule left out). */
export function kurtkaya2025GridOfRun(recorded: unknown): Record<string, unknown> {
  const { nets: _nets, epochs: _epochs, ...grid } = (recorded ?? {}) as Record<string, unknown>;
  return grid;
}
