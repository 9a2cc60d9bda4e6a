/**
 * The config of a Földiák 1990 reproduction, as it is validated and read back from a run: the
 * stimulus set (the bars or the alphabet), the seeds, the learning presentations per seed and how
 * often the code is scored.
 */
import { z } from 'zod';

/** What determines the result besides the first seed (run.json `config` records it with the fixed parameters: `foldiak1990RunConfig`). */
export const foldiak1990ConfigSchema = z.strictObject({
  stimuli: z.enum(['bars', 'alphabet']),
  seeds: z.number().int().min(1),
  presentations: z.number().int().min(1),
  scoreEvery: z.number().int().min(1),
});

/** A reproduction's config (`foldiak1990ConfigSchema`). */
export type Foldiak1990Config = z.infer<typeof foldiak1990ConfigSchema>;

/** The defaults of a stimulus set: 10 seeds; the bars 2000 presentations scored every 50, the alphabet 5000 every 250. */
export function foldiak1990Config(stimuli: Foldiak1990Config['stimuli']): Foldiak1990Config {
  return stimuli === 'alphabet'
    ? { stimuli: 'alphabet', seeds: 10, presentations: 5000, scoreEvery: 250 }
    : { stimuli: 'bars', seeds: 10, presentations: 2000, scoreEvery: 50 };
}

/** The config fields of a recorded run.json `config` (a run without `stimuli` is of the bars). */
export function foldiak1990ConfigOfRun(recorded: unknown): Record<string, unknown> {
  const r = (recorded ?? {}) as Partial<Foldiak1990Config>;
  return { stimuli: r.stimuli ?? 'bars', seeds: r.seeds, presentations: r.presentations, scoreEvery: r.scoreEvery };
}
