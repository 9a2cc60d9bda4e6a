/**
 * Kurtkaya et al. 2025: RNNs trained to recall a cue after a delay hold it on a slow-point
 * manifold when the delay is short and on a limit cycle when it is longer (Fig. 4). A reduced
 * grid: 2 learning rates × delays 0 and 100 ms, one network each, 2 trials per cue instead of 64,
 * trained on worker threads. Headline: the mechanism per cell (the paper: slow points at 0 ms,
 * limit cycles at 100 ms for these learning rates).
 */
import { kurtkaya2025Parallel } from '@wmkit/papers/node';

const r = await kurtkaya2025Parallel({ lrs: [0.1, 0.03], delays: [0, 100], seeds: 1, trialsPerCue: 2 }, { workers: 2 });
const pct = (x: number) => `${Math.round(100 * x)}%`;
for (const c of r.cells)
  console.log(
    `Kurtkaya 2025: lr ${c.lr}, delay ${c.delay} ms: not learned ${pct(c.notLearned)}, limit cycle ${pct(c.lc)}, slow-point manifold ${pct(c.sp)}`,
  );
const wrong = r.cells.filter((c) => (c.delay === 0 ? c.sp < 1 : c.lc < 1));
if (wrong.length) {
  console.error(
    `expected slow-point manifolds at 0 ms and limit cycles at 100 ms; not so for ${wrong.map((c) => `lr ${c.lr}, ${c.delay} ms`).join('; ')}`,
  );
  process.exit(1);
}
