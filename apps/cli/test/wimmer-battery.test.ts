import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OdrDataset, plantedOdrDataset } from '@wmkit/analysis';
import { writeMat } from '@wmkit/data-io';
import { describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'wmkit-wimmer-battery-'));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

/** One session of the planted data set as a recordings-layout .mat (cues 1-based). */
function writePlanted(name: string, d: OdrDataset): string {
  const s = d.sessions[0];
  const f = join(root, name);
  const T = s.cue.length;
  writeFileSync(
    f,
    writeMat({
      counts: { data: Float64Array.from(s.counts.data), shape: s.counts.shape },
      cue: { data: Float64Array.from(s.cue, (c) => c + 1), shape: [T, 1] },
      response: { data: Float64Array.from(s.response), shape: [T, 1] },
      bin_ms: d.binMs,
    }),
  );
  return f;
}

const analyze = (f: string, out: string) =>
  wmkit(['analyze', 'wimmer', '--data', f, '--delay', '1000,4000', '--permutations', '50', '--out', join(root, out)]);

describe('wmkit analyze wimmer: the analysis battery on planted data sets', () => {
  it('planted bump drift: R², rate–behaviour by cue class, flank Fano and in-flank correlations show the effects', () => {
    const f = writePlanted(
      'planted.mat',
      plantedOdrDataset({ sessions: 1, perSession: 16, trialsPerCue: 14, drift: true, rampUnits: 4, seed: 3 }),
    );
    const r = analyze(f, 'planted');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    for (const row of ['Fig. 1d', 'Fig. 1e', 'Fig. 1f', 'Fig. 1g', 'Fig. 4f', 'Fig. 4g', 'Fig. 5', 'Fig. 6d', 'Fig. 7'])
      expect(r.stdout).toContain(row);
    const m = manifest(join(root, 'planted')).metrics;
    expect(m.r2TunedLate).toBeGreaterThan(0);
    expect(m.r2TunedLateP).toBeLessThan(0.05);
    expect(m.rateBehaviorFlank1Late).toBeGreaterThan(0.2);
    expect(m.rateBehaviorFlank1LateP).toBeLessThan(0.05);
    expect(m.noiseCorrInFlankLate).toBeLessThan(m.noiseCorrInFlankEarly);
    expect(m.stabilityPreferredMedianAbsDeg).toBeLessThan(15);
    for (const fig of ['population_tuning', 'modulation_index', 'r2_by_offset', 'rate_behavior_by_cue', 'fano_by_cue', 'noise_corr_epochs'])
      expect(readFileSync(join(root, 'planted', `${fig}.svg`), 'utf8')).toMatch(/^<\?xml[\s\S]*<svg/);
  });

  it('no planted effect: the behavioural rows are not significant', () => {
    const f = writePlanted('null.mat', plantedOdrDataset({ sessions: 1, perSession: 16, trialsPerCue: 14, drift: false, seed: 3 }));
    const r = analyze(f, 'null');
    expect(r.code).toBe(0);
    const m = manifest(join(root, 'null')).metrics;
    expect(m.r2TunedLateP).toBeGreaterThan(0.01);
    expect(m.rateBehaviorFlank1LateP).toBeGreaterThan(0.01);
    expect(Math.abs(m.rateBehaviorFlank1Late)).toBeLessThan(0.15);
  });

  it('too few trials per cue: every row it cannot compute says why (no bare n/a)', () => {
    const f = writePlanted('tiny.mat', plantedOdrDataset({ sessions: 1, perSession: 2, trialsPerCue: 2, seed: 4 }));
    const r = analyze(f, 'tiny');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/n\/a \(note 1\)/);
    expect(r.stdout).toMatch(/note 1 \(recorded\): .+; it needs/);
    expect(r.stdout).not.toMatch(/n\/a(?! \(note \d+\))/);
  });
});
