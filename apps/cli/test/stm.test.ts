import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'wmkit-stm-'));
const small = ['--lr', '0.1', '--delay', '0', '--epochs', '30', '--trials-per-cue', '2', '--no-fixed-points'];

describe('wmkit train stm-rnn', () => {
  it('--from reruns a run from its recorded config and seed: the same arrays, byte for byte', () => {
    const a = join(root, 'a');
    const r = wmkit(['train', 'stm-rnn', ...small, '--seed', '4', '--out', a]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const b = join(root, 'b');
    expect(wmkit(['train', 'stm-rnn', '--from', a, '--no-fixed-points', '--out', b]).code).toBe(0);
    const ma = JSON.parse(readFileSync(join(a, 'run.json'), 'utf8'));
    const mb = JSON.parse(readFileSync(join(b, 'run.json'), 'utf8'));
    expect(mb.config).toEqual(ma.config);
    expect(mb.seed).toBe(4);
    expect(ma.config).toMatchObject({ lr: 0.1, epochs: 30, trialsPerCue: 2, task: { delayMs: 0 } });
    const npys = readdirSync(a).filter((f) => f.endsWith('.npy'));
    expect(npys).toEqual(expect.arrayContaining(['w.npy', 'loss.npy', 'accuracy.npy', 'reliability.npy']));
    for (const f of npys) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    const { outcome, mechanism, class: cls, finalAccuracy } = ma.metrics;
    expect(mb.metrics).toMatchObject({ outcome, mechanism, class: cls, finalAccuracy });
  });

  it('--print-config: the paper, then --config (yaml), then --set, then the options; unknown fields are refused', () => {
    const yaml = join(root, 'c.yaml');
    writeFileSync(yaml, 'momentum: 0.5\ntask:\n  cueMs: 50\n');
    const r = wmkit(['train', 'stm-rnn', '--lr', '0.01', '--config', yaml, '--set', 'weightDecay=0', '--delay', '100', '--print-config']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c).toMatchObject({ lr: 0.01, epochs: 3000, momentum: 0.5, weightDecay: 0, trialsPerCue: 64 });
    expect(c.task).toMatchObject({ kind: 'dcdt', cueMs: 50, delayMs: 100, responseMs: 50 });
    expect(c.model).toMatchObject({ N: 100, transfer: 'tanh', nInputs: 2 });
    // epochs follow the learning rate unless given
    expect(JSON.parse(wmkit(['train', 'stm-rnn', '--set', 'lr=0.002', '--print-config']).stdout).epochs).toBe(15000);
    const da = JSON.parse(wmkit(['train', 'stm-rnn', '--lr', '0.1', '--task', 'delayed-activation', '--print-config']).stdout);
    expect(da.model).toMatchObject({ nInputs: 1, nOutputs: 1 });
    const bad = wmkit(['train', 'stm-rnn', '--lr', '0.1', '--set', 'task.delay=100', '--print-config']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--set task.delay: unknown field 'delay' in 'task'; valid fields: kind, dtMs, cueMs, delayMs/);
    const noLr = wmkit(['train', 'stm-rnn', '--out', join(root, 'never')]);
    expect(noLr.code).toBe(2);
    expect(noLr.stderr).toMatch(/--lr is required/);
    const mismatch = wmkit(['train', 'stm-rnn', '--lr', '0.1', '--set', 'task.kind=delayed-activation', '--print-config']);
    expect(mismatch.code).not.toBe(0);
    expect(mismatch.stderr).toMatch(/set model.nInputs=1 and model.nOutputs=1/);
  });
});

describe('wmkit reproduce kurtkaya2025', () => {
  it('--print-config: the grid after --quick/--full, --set and the options', () => {
    const r = wmkit(['reproduce', 'kurtkaya2025', '--set', 'seeds=5', '--delays', '0,200', '--print-config']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      lrs: [0.3162, 0.2198, 0.1528, 0.1062, 0.07386, 0.05135, 0.0357, 0.01],
      delays: [0, 200],
      seeds: 5,
      trialsPerCue: 4,
      postMs: 0,
      task: 'dcdt',
    });
    const full = JSON.parse(wmkit(['reproduce', 'kurtkaya2025', '--full', '--print-config']).stdout);
    expect(full).toMatchObject({ seeds: 100, trialsPerCue: 64 });
    expect(full.lrs).toHaveLength(30);
    const bad = wmkit(['reproduce', 'kurtkaya2025', '--set', 'delays=[0,12]', '--print-config']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/'delays.1': a delay must be ≥ 0 and a multiple of the task's dt \(5 ms\)/);
    // --exponents brings the grid that separates the two branches; --task picks the task
    const ex = JSON.parse(wmkit(['reproduce', 'kurtkaya2025', '--exponents', '--task', 'no-memory', '--print-config']).stdout);
    expect(ex).toMatchObject({ lrs: [0.3162, 0.1, 0.03162, 0.01, 0.003162], seeds: 10, trialsPerCue: 64, task: 'no-memory' });
    const task = wmkit(['reproduce', 'kurtkaya2025', '--task', 'recall', '--print-config']);
    expect(task.code).toBe(2);
    expect(task.stderr).toMatch(/--task 'recall' is not dcdt, delayed-activation, no-memory/);
  });

  it("--authors: the authors' published layout (torch.save, np.savez) classified here and put on the phase diagram", () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wmkit-kk-authors-')), 'kk');
    const dir = join(__dirname, '../../../packages/data-io/test/fixtures/kurtkaya-authors/results_finetune');
    const r = wmkit(['reproduce', 'kurtkaya2025', '--authors', dir, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 networks of the authors .* classified here/);
    expect(r.stdout).toMatch(/Our class agrees with their class\.txt in \d of 2 networks/);
    const m = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(m.metrics).toMatchObject({ networks: 2, trained: 2 });
    expect(m.figures.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['phase_diagram', 'loss_by_class']));
    const missing = wmkit(['reproduce', 'kurtkaya2025', '--authors', join(out, 'nowhere'), '--out', `${out}-2`]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/--authors .*nowhere: no such folder/);
  });

  it('--toy rank2 --trained: one tiny rank-2 network trained, classified and reported; --trained alone is refused', () => {
    const out = join(root, 'rank2');
    const r = wmkit([
      'reproduce',
      'kurtkaya2025',
      '--toy',
      'rank2',
      '--trained',
      '--delays',
      '4',
      '--lrs',
      '0.3',
      '--seeds',
      '1',
      '--epochs',
      '300',
      '--out',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Classes: \d slow point, \d limit cycle, \d not learned/);
    const m = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(m.config).toMatchObject({ delays: [4], lrs: [0.3], seeds: 1, epochs: 300, resp: 2, N: 100 });
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['rank2_trained.svg', 'report.md']));
    const alone = wmkit(['reproduce', 'kurtkaya2025', '--trained', '--out', join(root, 'never-rank2')]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--trained goes with --toy rank2/);
  });
});
