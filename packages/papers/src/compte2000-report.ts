/**
 * The report of `compte2000` as data (`PaperReport`): the summary table of the cue-only trials,
 * the distractor grid and the figures' captions.
 */
import type { Compte2000Result } from './compte2000';
import type { PaperReport, PaperReportSection } from './report';

/** The distractor grid's table: outcome fractions and mean shift per strength and distance. */
export function compte2000DistractorRows(res: Compte2000Result): string[][] {
  return [
    ['strength (nA)', 'distance (deg)', 'trials', 'resist', 'partial', 'capture', 'no bump', 'mean shift (fraction)'],
    ...res.distractors.map((d) => [
      d.ampNa.toFixed(2),
      d.distanceDeg.toFixed(0),
      String(d.trials),
      d.resist.toFixed(2),
      d.partial.toFixed(2),
      d.capture.toFixed(2),
      d.lost.toFixed(2),
      d.meanFraction.toFixed(2),
    ]),
  ];
}

/**
 * The report of a Compte et al. 2000 reproduction (figures `raster`, `bump_trial0`, `bump_profile`,
 * `drift`, `distractor`); `seconds`, `seed` and `preset` are the run's.
 */
export function compte2000Report(res: Compte2000Result, o: { seconds: number; seed: number; preset: string }): PaperReport {
  const s = res.summary;
  const c = res.config;
  const f = (x: number | null | undefined, d = 1) => (x != null && Number.isFinite(x) ? x.toFixed(d) : '–');
  const intro = `Reproduction of Compte, Brunel, Goldman-Rakic & Wang (2000), *Cereb. Cortex* 10:910: a ring of ${c.NE} pyramidal cells and ${c.NI} interneurons (conductance-based LIF, NMDA recurrent excitation, GABA_A inhibition, Poisson background; preset \`${o.preset}\`, dt ${c.dtMs} ms, seed ${o.seed}). Protocol: ${c.protocol.preCueMs} ms baseline, a ${c.protocol.cueMs}-ms cue at ${c.protocol.cueAngleDeg}° (${c.protocol.cue.ampNa} nA, ${c.protocol.cue.shape}, ${c.protocol.cue.widthDeg}°), ${c.protocol.delayMs}-ms delay. ${s.trials} cue-only trials in ${f(res.seconds.main, 0)} s; the distractor grid in ${f(res.seconds.distractors, 0)} s; total ${f(o.seconds, 0)} s.`;
  const expectation =
    'Paper: a localised bump of persistent activity holds the cue location through the delay on a low spontaneous background; the memory drifts randomly (variance of the stored angle growing with delay); a distractor far from the cue is resisted, a strong or near one shifts or captures the memory.';
  const rows = [
    ['quantity', 'value'],
    ['baseline rate E / I (Hz, 0.5–1 s)', `${f(s.baselineHz.E, 2)} / ${f(s.baselineHz.I, 2)}`],
    ['delay rate E / I (Hz)', `${f(s.delayHz.E, 2)} / ${f(s.delayHz.I, 2)}`],
    ['bump peak / floor (Hz)', `${f(s.bump.peakHz)} / ${f(s.bump.floorHz, 2)}`],
    ['bump width, FWHM (deg)', f(s.bump.fwhmDeg, 0)],
    ['trials holding a bump (peak − floor > 10 Hz)', `${s.holdsBump.filter(Boolean).length} / ${s.trials}`],
    ['end-of-delay |error| mean (deg)', f(Array.from(s.endErrorDeg).reduce((a, e) => a + Math.abs(e), 0) / s.trials)],
    ['drift: variance slope, all delay bins (deg²/s, r²)', s.drift ? `${f(s.drift.all.slope, 0)} (${f(s.drift.all.r2, 2)})` : '–'],
    ['drift: from 0.5 s after the cue (deg²/s, r²)', s.drift?.late ? `${f(s.drift.late.slope, 0)} (${f(s.drift.late.r2, 2)})` : '–'],
    ['drift: mean squared displacement slope (deg²/s)', f(s.drift?.msdSlope, 0)],
  ];
  const figures: [string, string][] = [
    ['raster', 'Spikes of the first trial: E cells ordered by preferred angle, then I cells; the cue period shaded.'],
    ['bump_trial0', 'E rates of the first trial (200-ms bins) with the population-vector angle.'],
    ['bump_profile', 'Bump profile during the delay, aligned on each trial × bin’s decoded angle; floor, half maximum and FWHM marked.'],
  ];
  if (s.drift)
    figures.push(['drift', 'Across-trial variance of the decoded angle per delay bin, with least-squares lines (all bins; from 0.5 s).']);
  const sections: PaperReportSection[] = [
    { paragraphs: [intro, expectation], tables: [{ rows }], figures },
    ...(res.distractors.length
      ? [
          {
            heading: 'Distractors',
            paragraphs: [
              `A cue-shaped distractor ${res.distractors.length ? `(${res.config.protocol.cueMs} ms, ${Math.min(1000, c.protocol.delayMs / 2)} ms into the delay)` : ''} at several strengths and distances. Outcome per trial from the shift f of the end-of-delay memory towards the distractor (fraction of the distance): resist f < 0.25, partial 0.25–0.75, capture f > 0.75.`,
            ],
            tables: [{ rows: compte2000DistractorRows(res) }],
            figures: [['distractor', 'Mean shift towards the distractor vs distance, one line per strength.']] as [string, string][],
          },
        ]
      : []),
  ];
  return { title: 'Spiking bump attractor (Compte et al. 2000)', sections };
}
