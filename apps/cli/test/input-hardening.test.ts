/**
 * Issue 28, items 2, 5, 6: corrupt or non-finite input is refused with one line naming the file,
 * the variable and the element; a diverging trainer or simulation ends its run as `failed`; every
 * option a command will need is checked before it starts work.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { encodeNpy, readMat, writeMat } from '@wmkit/data-io';
import { createRateRNN, KIM_RATE_CONFIG, parseRateRnnConfig, rateRnnToKimMat } from '@wmkit/ei-rnn';
import { Rng } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'wmkit-input-hardening-'));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
const oneLine = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('wmkit: error:'));

const kimFields = () => rateRnnToKimMat(createRateRNN(parseRateRnnConfig({ ...KIM_RATE_CONFIG, N: 12 }, KIM_RATE_CONFIG), new Rng(1)));

describe('corrupt and non-finite input', () => {
  it('a flipped byte in a compressed .mat element: one line naming the file and the variable, no run', () => {
    const bytes = writeMat(kimFields(), { compress: true });
    // the first variable ('w') is the compressed element at byte 128; find a flip that still inflates
    const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(132, true);
    const z = bytes.subarray(136, 136 + n);
    // raw deflate (no zlib header and checksum): what a reader that skips the checksum sees
    const raw = (b: Uint8Array) => new Uint8Array(inflateRawSync(b.subarray(2, b.length - 4)));
    const clean = raw(z);
    let at = -1;
    for (let k = 2; k < n - 4 && at < 0; k++) {
      const b = Uint8Array.from(z);
      b[k] ^= 0x01;
      try {
        const out = raw(b);
        if (out.length === clean.length && out.subarray(0, 56).every((v, i) => v === clean[i]) && out.some((v, i) => v !== clean[i]))
          at = k;
      } catch {
        /* breaks the stream: try the next byte */
      }
    }
    expect(at).toBeGreaterThan(0);
    const bad = Uint8Array.from(bytes);
    bad[136 + at] ^= 0x01;
    const file = join(root, 'flipped.mat');
    writeFileSync(file, bad);
    const out = join(root, 'flipped');
    const r = wmkit(['import', 'kim-mat', file, '--out', out, '--trials', '10', '--spiking-trials', '0']);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toEqual([
      `wmkit: error: ${file}: variable 'w': compressed data fail their zlib checksum (the file is corrupt; re-export or re-download it) (byte 128)`,
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('NaN weights in a Kim .mat: refused with the field and its MATLAB index (they used to run as silence)', () => {
    const f = kimFields() as Record<string, { data: Float64Array; shape: number[] }>;
    f.w.data[2 * 12 + 3] = Number.NaN;
    const file = join(root, 'nan.mat');
    writeFileSync(file, writeMat(f));
    const r = wmkit(['import', 'kim-mat', file, '--out', join(root, 'nan'), '--trials', '10', '--spiking-trials', '0']);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toEqual([`wmkit: error: ${file}: field 'w': w(3,4) is NaN (expected finite values)`]);
    expect(existsSync(join(root, 'nan'))).toBe(false);
  });

  it('analyze timescales: NaN or negative counts name the file and element; --bin-ms 0 is a usage error', () => {
    const counts = new Float32Array(5 * 2 * 22).map((_, i) => i % 3);
    counts[1 * 44 + 22 + 4] = Number.NaN;
    const f = join(root, 'counts-nan.npy');
    writeFileSync(f, encodeNpy({ data: counts, shape: [5, 2, 22] }));
    const r = wmkit(['analyze', 'timescales', '--spikes', f, '--out', join(root, 'tau-nan')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toEqual([`wmkit: error: ${f}: counts: element [1, 1, 4] is NaN (expected finite values ≥ 0)`]);
    expect(existsSync(join(root, 'tau-nan'))).toBe(false);
    counts[1 * 44 + 22 + 4] = -1;
    writeFileSync(f, encodeNpy({ data: counts, shape: [5, 2, 22] }));
    expect(wmkit(['analyze', 'timescales', '--spikes', f, '--out', join(root, 'tau-neg')]).stderr).toMatch(
      /element \[1, 1, 4\] is -1, below 0/,
    );
    const z = wmkit(['analyze', 'timescales', '--spikes', f, '--bin-ms', '0', '--out', join(root, 'tau-0')]);
    expect(z.code).toBe(2);
    expect(z.stderr).toMatch(/--bin-ms must be a number > 0, got '0'/);
  });

  it('analyze wimmer: NaN counts are refused before any statistic (they gave p = 1.000)', () => {
    const trials = 16;
    const counts = new Float64Array(trials * 2 * 60).map((_, i) => i % 4);
    counts[70] = Number.NaN;
    const f = join(root, 'wimmer-nan.mat');
    writeFileSync(
      f,
      writeMat({
        counts: { data: counts, shape: [trials, 2, 60] },
        cue: { data: Float64Array.from({ length: trials }, (_, i) => (i % 8) + 1), shape: [trials, 1] },
        response: { data: Float64Array.from({ length: trials }, (_, i) => (i % 8) * 0.785), shape: [trials, 1] },
      }),
    );
    const r = wmkit(['analyze', 'wimmer', '--data', f, '--delay', '500,2500', '--permutations', '20', '--out', join(root, 'w-nan')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toEqual([`wmkit: error: ${f}: variable 'counts': element [0, 1, 10] is NaN (expected finite values ≥ 0)`]);
    expect(existsSync(join(root, 'w-nan'))).toBe(false);
    expect(readMat(readFileSync(f)).variables.counts).toBeDefined();
  });
});

describe('divergence → a failed run, exit code 1, one line', () => {
  it('train stm-rnn at lr 1e35: status failed with the epoch and the value; no NaN curves written', () => {
    const out = join(root, 'stm-div');
    const r = wmkit(['train', 'stm-rnn', '--lr', '1e35', '--epochs', '30', '--trials-per-cue', '2', '--no-fixed-points', '--out', out]);
    expect(r.code).toBe(1);
    const lines = oneLine(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^wmkit: error: STM RNN training diverged at epoch \d+: /);
    const m = manifest(out);
    expect(m.status).toBe('failed');
    expect(m.error.message).toMatch(/^STM RNN training diverged at epoch \d+: /);
    expect(m.metrics).toMatchObject({ diverged: true });
    expect(existsSync(join(out, 'loss.npy'))).toBe(false);
  });

  it('reproduce kriener2020 with σ = 1e300: the WTA simulation diverges and the run is failed (it reported accuracy 1.00)', () => {
    const out = join(root, 'kriener');
    const r = wmkit([
      'reproduce',
      'kriener2020',
      '--quick',
      '--sigma',
      '1e300',
      '--sizes',
      '2',
      '--trials',
      '2',
      '--workers',
      '1',
      '--out',
      out,
    ]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)[0]).toMatch(/^wmkit: error: WTA trial diverged at time step 1: /);
    expect(manifest(out).status).toBe('failed');
    expect(manifest(out).metrics.diverged).toBe(true);
  });
});

describe('options checked before any work starts', () => {
  it.each([
    [
      ['train', 'stm-rnn', '--lr', '0.1', '--delay', '1000'],
      /--delay 1000: delay 1000 ms is outside the protocol: use 0–400 ms in steps of 5 ms/,
    ],
    [['train', 'stm-rnn', '--lr', '0.1', '--post', '10'], /--post 10: post-response period 10 ms is outside the protocol: use 0 or 30 ms/],
    [['reproduce', 'kurtkaya2025', '--delays', '0,1000'], /--delays: delay 1000 ms is outside the protocol/],
    [['reproduce', 'kim2021', '--timescale-trials', '2'], /--timescale-trials must be an integer ≥ 3, got '2'/],
    [['analyze', 'timescales', 'runs/none', '--trials', '2'], /--trials must be an integer ≥ 3, got '2'/],
    [
      ['experiment', 'scale-synapses', 'runs/none', '--block', 'ii', '--factor', '1.3', '--timescale-trials', '1'],
      /--timescale-trials must be an integer ≥ 3/,
    ],
  ])('%j → usage error (exit 2), no run directory', (args, message) => {
    const out = join(root, `early-${args[1]}-${args.length}`);
    const r = wmkit([...args, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
