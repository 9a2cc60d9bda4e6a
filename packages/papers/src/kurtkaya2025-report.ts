/**
 * The report of `kurtkaya2025` as data (`PaperReport`): the phase table (not learned / limit
 * cycle / slow-point manifold per learning rate × delay, with the onset T_c), the exponent fit
 * against the paper, and the figures' captions.
 */
import type { Kurtkaya2025Result } from './kurtkaya2025';
import { kurtkaya2025LossByClass, kurtkaya2025PsdRatios } from './kurtkaya2025-classes';
import { type Kurtkaya2025Exponents, kurtkaya2025ExponentLines, kurtkaya2025ExponentRows } from './kurtkaya2025-exponents';
import type { PaperReport } from './report';

/** What training on fewer trials per cue than the paper's 64 changes (measured; REPRODUCTIONS.md). */
export const kurtkaya2025FewTrials = (per: number): string =>
  `With ${per} per cue, training is faster but fewer networks fail at low learning rates and long delays, which flattens the critical-learning-rate fit (lr 0.01, 400 ms: 17% not learned of 30 networks with 4 per cue; 70% of 10 with 64 in wmkit, 60% in PyTorch).`;

/** The phase table: per learning rate, the % not learned / limit cycle / slow-point manifold per delay, and T_c. */
export function kurtkaya2025Rows(res: Kurtkaya2025Result): string[][] {
  const { lrs, delays, cells } = res;
  const onsets = res.onsetFits.map((f) => f.onset);
  const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(100 * x)}` : '—');
  return [
    ['lr \\ delay (ms)', ...delays.map(String), 'T_c (ms)'],
    ...lrs.map((lr, i) => [
      String(lr),
      ...delays.map((d) => {
        const c = cells.find((x) => x.lr === lr && x.delay === d);
        return c?.n ? `${pct(c.notLearned)}/${pct(c.lc)}/${pct(c.sp)}` : '—';
      }),
      Number.isFinite(onsets[i]) ? (onsets[i] as number).toFixed(0) : '—',
    ]),
  ];
}

/** The critical-learning-rate exponent against the paper's (or why none was fitted). */
export function kurtkaya2025FitSummary(res: Kurtkaya2025Result, postMs: number): string {
  const { fit, paper } = res;
  const task = res.task ?? 'dcdt';
  const paperBeta = paper
    ? `paper (${task === 'no-memory' ? 'no-memory control' : `${postMs ? 'with' : 'no'} post period`}): ${paper.beta.toFixed(2)} ± ${paper.se.toFixed(2)}`
    : `the paper gives no exponent for the ${task} task`;
  return fit
    ? `Critical-learning-rate exponent from ${fit.n} learning rates: β = ${fit.beta.toFixed(2)} ± ${fit.slopeSe.toFixed(2)} (r² = ${fit.r2.toFixed(2)}); ${paperBeta}; toy models: 4 (slow point, T_resp ∝ T) and 2 (limit cycle).`
    : 'Fewer than three learning rates reached a no-learning region inside the delays tested: no exponent fitted.';
}

/**
 * The report of a Kurtkaya et al. 2025 reproduction (figures `phase_diagram`, `onsets`, and
 * `scaling` when fitted); `summary` holds the findings in words (the caller's account of the
 * networks, then `kurtkaya2025FitSummary`).
 */
export function kurtkaya2025Report(
  res: Kurtkaya2025Result,
  o: { postMs: number; trialsPerCue: number; summary: string[]; exponents?: Kurtkaya2025Exponents },
): PaperReport {
  const per = o.trialsPerCue;
  const psd = kurtkaya2025PsdRatios(res);
  const loss = kurtkaya2025LossByClass(res);
  const ex = o.exponents;
  const classFigures: [string, string][] = [
    ...(psd.lc.length + psd.sp.length
      ? ([
          [
            'psd_ratios',
            `Power ratio of the learned networks' autonomous runs by class (threshold ½): limit cycles ${psd.lc.length} (exponential fit, mean ${(1 / psd.lcRate).toFixed(2)}), slow-point manifolds ${psd.sp.length} (Gaussian fit ${psd.spMean.toFixed(2)} ± ${psd.spSd.toFixed(2)}).`,
          ],
        ] as [string, string][])
      : []),
    ...(loss
      ? ([
          [
            'loss_by_class',
            `Loss over the first epochs by class at lr ${loss.lr} (the learning rate whose networks are spread most evenly over the classes): not learned ${loss.counts['not learned']}, limit cycle ${loss.counts['limit cycle']}, slow-point manifold ${loss.counts['slow-point manifold']} networks.`,
          ],
        ] as [string, string][])
      : []),
  ];
  const task = res.task ?? 'dcdt';
  const taskText =
    task === 'dcdt'
      ? `Delayed cue-discrimination task (cue 30 ms, delay, response 50 ms${o.postMs ? `, post ${o.postMs} ms` : ''}; dt 5 ms)`
      : task === 'delayed-activation'
        ? `Delayed-activation task (no cue; output 0 through the delay, then 1 for the 50-ms response${o.postMs ? `, post ${o.postMs} ms` : ''}; dt 5 ms)`
        : `No-memory control (cue 30 ms; the target is the cue at every step, so nothing has to be held; dt 5 ms)`;
  return {
    title: 'Dynamical phases of short-term memory in trained RNNs (Kurtkaya et al. 2025)',
    sections: [
      {
        paragraphs: [
          `${taskText}, tanh RNN of 100 units (α = 0.5), SGD momentum 0.9, weight decay 1e-7, full batch of ${2 * per} trials, epochs = max(1000, 30/lr). Learned: accuracy and reliability > 0.8 over the last 10% of epochs and stable after first reached; mechanism from an autonomous run of 9× the trial length (top-2 PCs → time × time correlation → 2-D FFT; power within radius 3 of the centre < 50% → limit cycle).${per !== 64 ? ` The paper trains on 64 trials per cue. ${kurtkaya2025FewTrials(per)}` : ''}`,
          'Paper (no post period): slow-point manifolds at short delays and low learning rates, limit cycles at longer delays, no learning at high learning rates and long delays.',
          ...o.summary,
        ],
        tables: [{ rows: kurtkaya2025Rows(res) }],
        figures: [
          ['phase_diagram', 'Fractions of networks per cell.'],
          ['onsets', 'The onset fit per learning rate: T_c is where the fitted curve leaves zero.'],
          ...(res.fitPoints.length >= 2
            ? ([['scaling', 'Onset of the no-learning region vs learning rate (log–log).']] as [string, string][])
            : []),
          ...classFigures,
        ],
      },
      ...(ex
        ? [
            {
              heading: 'Scaling exponents of the two branches',
              paragraphs: [
                'Per learning rate, two boundaries in the delay: T_SP, the midpoint of a logistic fitted to the fraction of networks on slow-point manifolds, and T_c, the onset of the no-learning region; each branch is fitted as log lr = a − β·log T (95% CI from Student t with n − 2 degrees of freedom). Paper (Fig. 4, no post period): slow-point branch β = 4.05 ± 0.10, no-learning branch 2.72 ± 0.07; toy models: 4 (ghost of a saddle-node) and 2 (limit cycle), with T_resp ∝ T.',
                ...kurtkaya2025ExponentLines(ex),
              ],
              tables: [{ rows: kurtkaya2025ExponentRows(ex) }],
              figures: [
                [
                  'exponents',
                  "Both branches in log–log with their fits (dashed: the paper's slope); below, the slow-point fraction per delay with the logistic fits.",
                ],
              ] as [string, string][],
            },
          ]
        : []),
    ],
  };
}
