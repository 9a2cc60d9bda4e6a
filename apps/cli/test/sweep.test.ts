import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpy } from '@wmkit/data-io';
import { describe, expect, it } from 'vitest';
import { tinyKurtkaya, wmkit } from './helpers';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
const root = mkdtempSync(join(tmpdir(), 'wmkit-sweep-'));

function spec(name: string, body: string): string {
  const f = join(root, `${name}.yaml`);
  writeFileSync(f, body);
  return f;
}

const completeRuns = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir).filter((d) => {
        const f = join(dir, d, 'run.json');
        return existsSync(f) && JSON.parse(readFileSync(f, 'utf8')).status === 'complete';
      }).length
    : 0;

describe('wmkit sweep', () => {
  it('killed halfway, rerun: finishes only the missing runs; collect builds the table and [grid, seed] arrays', async () => {
    const f = spec(
      'foldiak',
      'name: foldiak\nkind: reproduce.foldiak1990\ncommand: [reproduce, foldiak1990, --seeds, 1, --presentations, "{presentations}", --seed, "{seed}"]\ngrid:\n  presentations: [600, 900]\nseeds: 4\nout: runs-foldiak\n',
    );
    const out = join(root, 'runs-foldiak');
    const child = spawn(process.execPath, [bin, 'sweep', 'run', f, '--workers', '1'], { stdio: 'ignore' });
    await new Promise<void>((ok, fail) => {
      const t = setInterval(() => {
        if (completeRuns(out) >= 2) {
          clearInterval(t);
          child.kill('SIGKILL');
          ok();
        }
      }, 50);
      setTimeout(() => fail(new Error('the sweep did not start')), 60_000);
    });
    await new Promise((ok) => child.on('exit', ok));
    const before = completeRuns(out);
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(8);
    const r = wmkit(['sweep', 'run', f, '--workers', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`8 runs \\(${before} already complete, ${8 - before} to run\\)`));
    expect(completeRuns(out)).toBe(8);
    const again = wmkit(['sweep', 'run', f]);
    expect(again.stdout).toMatch(/8 already complete, 0 to run/);
    const c = wmkit(['sweep', 'collect', f]);
    expect(c.code).toBe(0);
    const csv = readFileSync(join(out, 'collect', 'sweep.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toMatch(/^index,id,presentations,seed,status,/);
    expect(csv).toHaveLength(9);
    const solved = decodeNpy(readFileSync(join(out, 'collect', 'solved.npy')), 'solved.npy');
    expect(solved.shape).toEqual([2, 4]);
  });

  it('a Kurtkaya grid: train stm-rnn over lr × delay, collected into [lr, delay, seed] arrays', () => {
    const f = spec(
      'stm',
      'name: stm\nkind: stm-rnn\ncommand: [train, stm-rnn, --lr, "{lr}", --delay, "{delay}", --epochs, 150, --trials-per-cue, 4, --seed, "{seed}"]\ngrid:\n  lr: [0.1, 0.03]\n  delay: [0, 100]\nseeds: 1\nout: runs-stm\n',
    );
    const r = wmkit(['sweep', 'run', f, '--workers', '2']);
    expect(r.code).toBe(0);
    expect(wmkit(['sweep', 'collect', f]).code).toBe(0);
    const cls = decodeNpy(readFileSync(join(root, 'runs-stm', 'collect', 'class.npy')), 'class.npy');
    expect(cls.shape).toEqual([2, 2, 1]);
    for (const v of cls.data as Float64Array) expect([0, 1, 2, 3]).toContain(v);
    const csv = readFileSync(join(root, 'runs-stm', 'collect', 'sweep.csv'), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^index,id,lr,delay,seed,status,/);
    // each run records the command that made it, though the worker thread ran it in-process
    const run = JSON.parse(readFileSync(join(root, 'runs-stm', 'lr-0.03_delay-100_seed-0', 'run.json'), 'utf8'));
    expect(run.command).toEqual([
      'wmkit',
      ...['train', 'stm-rnn', '--lr', '0.03', '--delay', '100', '--epochs', '150', '--trials-per-cue', '4', '--seed', '0'],
      ...['--out', join(root, 'runs-stm', 'lr-0.03_delay-100_seed-0')],
    ]);
    // the spec changed since (another epoch count): its complete runs are not silently reused
    const changed = spec('stm-changed', readFileSync(f, 'utf8').replace('--epochs, 150', '--epochs, 300'));
    const c = wmkit(['sweep', 'run', changed]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(
      /lr-0\.1_delay-0_seed-0 holds a run of `wmkit train stm-rnn --lr 0\.1 --delay 0 --epochs 150 .*`, not of this sweep's `wmkit train stm-rnn --lr 0\.1 --delay 0 --epochs 300 .*` \(the spec changed since it ran/,
    );
  });

  it('a run directory holding another kind of run is refused even when the spec names no kind', () => {
    const f = spec(
      'stray',
      'name: stray\ncommand: [train, stm-rnn, --lr, "{lr}", --epochs, 5, --seed, "{seed}"]\ngrid:\n  lr: [0.1]\nseeds: 1\nout: runs-stray\n',
    );
    const dir = join(root, 'runs-stray', 'lr-0.1_seed-0');
    expect(wmkit(['simulate', 'attractor', '--model', 'bump', '--trials', '2', '--delay', '100', '--out', dir]).code).toBe(0);
    for (const cmd of ['run', 'collect']) {
      const r = wmkit(['sweep', cmd, f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /lr-0\.1_seed-0 holds a run of `wmkit simulate attractor --model bump .*`, not of this sweep's `wmkit train stm-rnn --lr 0\.1 --epochs 5 --seed 0 --out .*`/,
      );
    }
    expect(existsSync(join(root, 'runs-stray', 'collect'))).toBe(false);
  });

  it('reproduce kurtkaya2025 (tiny grid): phase table, figures, networks kept for a rerun', () => {
    const out = join(root, 'kk');
    const args = [...tinyKurtkaya(out), '--workers', '2'];
    const r = wmkit(args);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/lr \\ delay \(ms\) +0 +100 +T_c/);
    const m = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(m.metrics).toMatchObject({ networks: 4, trained: 4 });
    expect(m.figures.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['phase_diagram', 'onsets']));
    expect(JSON.parse(readFileSync(`${out}.nets/sweep.json`, 'utf8')).command).toEqual(expect.arrayContaining(['--engine', 'kernels']));
    const again = wmkit([...args, '--force']);
    expect(again.stdout).toMatch(/4 runs \(4 already complete, 0 to run\)/);
  });

  it('--index runs one run; slurm writes an array script that calls it', () => {
    const f = spec(
      'one',
      'name: one\ncommand: [reproduce, foldiak1990, --seeds, 1, --presentations, "{p}", --seed, "{seed}"]\ngrid: { p: [50, 60] }\nseeds: [7]\nout: runs-one\n',
    );
    const r = wmkit(['sweep', 'run', f, '--index', '1']);
    expect(r.code).toBe(0);
    expect(existsSync(join(root, 'runs-one', 'p-60_seed-7', 'run.json'))).toBe(true);
    expect(existsSync(join(root, 'runs-one', 'p-50_seed-7'))).toBe(false);
    const s = wmkit(['sweep', 'slurm', f]);
    expect(s.code).toBe(0);
    const script = readFileSync(join(root, 'runs-one', 'one.sbatch'), 'utf8');
    expect(script).toMatch(/#SBATCH --array=0-1/);
    expect(script).toMatch(/sweep run \S*one\.yaml --index "\$SLURM_ARRAY_TASK_ID"/);
  });

  it('bad input: unknown parameter, empty grid, runs of another kind → clear error, non-zero exit', () => {
    const unknown = spec('unknown', 'name: u\ncommand: [demo, --x, "{lrr}"]\ngrid: { lr: [0.1] }\n');
    const u = wmkit(['sweep', 'run', unknown]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/'command' uses unknown parameter '\{lrr\}' \(grid parameters: lr/);
    const empty = spec('empty', 'name: e\ncommand: [demo, --x, "{lr}"]\ngrid: { lr: [] }\n');
    expect(wmkit(['sweep', 'run', empty]).stderr).toMatch(/'grid.lr' is an empty list/);
    const noGrid = spec('nogrid', 'name: e\ncommand: [demo]\ngrid: {}\n');
    expect(wmkit(['sweep', 'run', noGrid]).stderr).toMatch(/'grid' is empty/);
    const other = spec(
      'other',
      'name: other\nkind: ei-rnn.rate\ncommand: [reproduce, foldiak1990, --seeds, 1, --presentations, "{presentations}", --seed, "{seed}"]\ngrid:\n  presentations: [600, 900]\nseeds: 4\nout: runs-foldiak\n',
    );
    const o = wmkit(['sweep', 'collect', other]);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/is a 'reproduce.foldiak1990' run, but the sweep other holds 'ei-rnn.rate' runs/);
    expect(existsSync(join(root, 'runs-foldiak', 'collect', 'run.json'))).toBe(true); // the earlier, complete collect is untouched
  });
});
