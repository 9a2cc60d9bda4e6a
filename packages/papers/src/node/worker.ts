/** The worker-thread module of `@wmkit/papers/node`: runs one named job from `TASKS` per message. */
import { initBackend, initKernels } from '@wmkit/tensor';
import { defineWorker } from './pool';
import { TASKS, type TaskName } from './tasks';

export default defineWorker(async (m: { task: TaskName; job: unknown }, progress) => {
  await initKernels();
  // a job on the tfjs engine runs on the backend this worker selects (WMKIT_BACKEND applies here too)
  if ((m.job as { engine?: string } | null)?.engine === 'tfjs') await initBackend();
  const run = TASKS[m.task] as (job: unknown, progress: (f: number) => void) => unknown;
  if (!run) throw new Error(`@wmkit/papers worker: unknown task '${m.task}'`);
  return run(m.job, progress);
});
