/**
 * What a hostile but fair tester tried, each case with its expected answer: a clear one-line
 * error and a non-zero exit code, or the safe behaviour, never a stack trace or a clobbered file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processStartTime } from '@wmkit/data-io/node';
import { describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
const root = mkdtempSync(join(tmpdir(), 'wmkit-hard-'));
const bump = (out: string, ...more: string[]) => [
  'simulate',
  'attractor',
  '--model',
  'bump',
  '--trials',
  '4',
  '--delay',
  '100',
  '--workers',
  '1',
  '--out',
  out,
  ...more,
];
const oneLine = (r: { stderr: string }) => {
  expect(r.stderr).not.toMatch(/internal error|this is a bug|\n\s+at /);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
};

function sweepSpec(dir: string, name: string, body: string): string {
  mkdirSync(dir, { recursive: true });
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, body);
  return f;
}
const FOLDIAK = 'command: [reproduce, foldiak1990, --seeds, 1, --presentations, "{p}", --seed, "{seed}"]\ngrid: { p: [50] }\nseeds: 1\n';

describe('SLURM scripts: hostile values are refused, every shell word is quoted', () => {
  const f = sweepSpec(join(root, 'slurm'), 'ok', `name: ok\n${FOLDIAK}out: runs\n`);
  it('a line break or a bad format in --partition, --account, --qos, --time, --mem, --sbatch is refused; nothing is written', () => {
    const bad: [string[], RegExp][] = [
      [['--partition', 'gpu\nrm -rf / '], /--partition: line breaks and NUL bytes are not allowed/],
      [['--partition', 'gpu;rm -rf /'], /--partition "gpu;rm -rf \/": a SLURM partition name has letters/],
      [['--account', '$(touch X)'], /--account "\$\(touch X\)": a SLURM account name/],
      [['--qos', 'normal\n#SBATCH --uid=0'], /--qos: line breaks/],
      [['--time', '1:00:00; reboot'], /--time "1:00:00; reboot": give minutes, hh:mm:ss or d-hh:mm:ss/],
      [['--mem', '2G`id`'], /--mem "2G`id`": give a size/],
      [['--sbatch', '--gres=gpu:1\nrm -rf /'], /--sbatch: line breaks/],
      [['--sbatch', '--wrap=rm -rf /'], /--sbatch "--wrap=rm -rf \/": give one sbatch option as --name=value/],
      [['--sbatch', '--array=0-99'], /--sbatch --array=0-99: the script sets --array itself/],
    ];
    for (const [args, message] of bad) {
      const r = wmkit(['sweep', 'slurm', f, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      oneLine(r);
    }
    expect(existsSync(join(root, 'slurm', 'runs', 'ok.sbatch'))).toBe(false);
  });

  it('--account, --qos and repeatable --sbatch go into the script; --dry-run prints it and writes nothing', () => {
    const r = wmkit([
      'sweep',
      'slurm',
      f,
      '--partition',
      'short,long',
      '--account',
      'lab-42',
      '--qos',
      'normal',
      '--time',
      '2-00:00:00',
      '--mem',
      '500M',
      '--sbatch',
      '--gres=gpu:1',
      '--sbatch=--constraint=haswell',
      '--dry-run',
    ]);
    expect(r.code).toBe(0);
    for (const line of [
      '--partition=short,long',
      '--account=lab-42',
      '--qos=normal',
      '--time=2-00:00:00',
      '--mem=500M',
      '--gres=gpu:1',
      '--constraint=haswell',
    ])
      expect(r.stdout).toContain(`\n#SBATCH ${line}\n`);
    expect(existsSync(join(root, 'slurm', 'runs', 'ok.sbatch'))).toBe(false);
  });

  it('a spec path holding $(touch X) and quotes is quoted: bash runs the script without running the path', () => {
    const dir = join(root, 'slurm', `it's $(touch X) "q"`);
    const spec = sweepSpec(dir, 's', `name: q\n${FOLDIAK}out: runs\n`);
    const cwd = join(root, 'slurm-cwd');
    mkdirSync(cwd);
    const w = spawnSync(process.execPath, [bin, 'sweep', 'slurm', spec], { cwd, encoding: 'utf8' });
    expect(w.status, w.stderr).toBe(0);
    const script = join(dir, 'runs', 'q.sbatch');
    const text = readFileSync(script, 'utf8');
    expect(text).toContain(`sweep run '${dir.replace(/'/g, `'\\''`)}/s.yaml' --index "$SLURM_ARRAY_TASK_ID"`);
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    // what an array task does: run the script (no SLURM needed for task 0)
    const task = spawnSync('bash', [script], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, SLURM_ARRAY_TASK_ID: '0' },
      timeout: 120_000,
    });
    expect(task.status, task.stderr).toBe(0);
    expect(existsSync(join(cwd, 'X'))).toBe(false);
    expect(existsSync(join(dir, 'X'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'runs', 'p-50_seed-0', 'run.json'), 'utf8')).status).toBe('complete');
  });
});

describe('run directory writers', () => {
  it.runIf(process.platform === 'linux')('a run whose PID was reused (pid 1) reads as interrupted and --force takes it over', () => {
    const out = join(root, 'kill-ei');
    expect(wmkit(bump(out)).code).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    const writer = { host: hostname(), pid: 1, startTime: `${processStartTime(1)?.split(':')[0]}:1` };
    writeFileSync(join(out, 'run.json'), JSON.stringify({ ...m, status: 'running', pid: 1, writer }));
    writeFileSync(join(out, '.lock'), JSON.stringify({ ...writer, token: 't', acquiredAt: m.startedAt }));
    const plain = wmkit(bump(out));
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/already holds an interrupted 'attractor\.simulate' run; .*pass --force/);
    const forced = wmkit(bump(out, '--force'));
    expect(forced.code, forced.stderr).toBe(0);
    const after = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(after.status).toBe('complete');
    expect(after.writer.pid).not.toBe(1);
  });

  it('two commands given the same --out at once: one writes the run, the other is refused', async () => {
    const out = join(root, 'twice');
    const start = () =>
      new Promise<{ code: number | null; stderr: string }>((ok) => {
        const child = spawn(process.execPath, [bin, ...bump(out), '--seed', '1'], { env: { ...process.env, WMKIT_PROGRESS: '0' } });
        let stderr = '';
        child.stderr.on('data', (c) => {
          stderr += c;
        });
        child.on('exit', (code) => ok({ code, stderr }));
      });
    const results = await Promise.all([start(), start()]);
    expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(results.find((r) => r.code === 1)?.stderr).toMatch(/is in use by a running wmkit process \(pid \d+\)|already holds a complete/);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).status).toBe('complete');
  }, 120_000);
});

describe('file errors are one line naming the path', () => {
  const run = join(root, 'ok');
  it('export mat --out: a directory, /proc, under a regular file, a FIFO are refused, a missing folder is made; inspect of a damaged HDF5 file', () => {
    expect(wmkit(bump(run)).code).toBe(0);
    mkdirSync(join(root, 'a-dir'));
    writeFileSync(join(root, 'a-file'), 'x');
    spawnSync('mkfifo', [join(root, 'fifo')]);
    const cases: [string, RegExp][] = [
      [join(root, 'a-dir'), /a-dir is a directory; give a file name, e.g. .*a-dir\/export\.mat/],
      ['/proc/x.mat', /--out \/proc\/x\.mat: cannot write the file/],
      [join(root, 'a-file', 'x.mat'), /a-file is not a folder/],
      [join(root, 'fifo'), /fifo is not a regular file/],
    ];
    for (const [out, message] of cases) {
      const r = wmkit(['export', 'mat', run, '--out', out]);
      expect(r.code, out).not.toBe(0);
      expect(r.stderr, out).toMatch(message);
      oneLine(r);
    }
    const made = wmkit(['export', 'mat', run, '--out', join(root, 'no-folder', 'x.mat')]);
    expect(made.code, made.stderr).toBe(0);
    expect(existsSync(join(root, 'no-folder', 'x.mat'))).toBe(true);
    const h5 = join(root, 'bad.h5');
    writeFileSync(h5, Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]));
    const i = wmkit(['inspect', h5]);
    expect(i.code).toBe(1);
    expect(i.stderr).toMatch(/bad\.h5: has an HDF5 signature but cannot be read as HDF5 \(.*\); the file is damaged or truncated/);
    expect(i.stderr).not.toMatch(/HDF5-DIAG/);
    oneLine(i);
  });

  it('a run whose run.json is a directory', () => {
    mkdirSync(join(root, 'eisdir', 'run.json'), { recursive: true });
    for (const args of [
      ['convert', 'lif', join(root, 'eisdir')],
      ['export', 'mat', join(root, 'eisdir')],
    ]) {
      const r = wmkit(args);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/eisdir\/run\.json is not a file/);
      oneLine(r);
    }
  });

  it('export never clobbers a run, a non-regular file, or an existing file without --force', () => {
    const before = readFileSync(join(run, 'run.json'), 'utf8');
    for (const target of ['run.json', 'metrics.jsonl', 'cue.npy', 'responses.svg', '.lock']) {
      const r = wmkit(['export', 'mat', run, '--out', join(run, target), '--force']);
      expect(r.code, target).toBe(2);
      expect(r.stderr).toMatch(/is one of the files of the run directory/);
    }
    expect(readFileSync(join(run, 'run.json'), 'utf8')).toBe(before);
    const out = join(root, 'e.mat');
    expect(wmkit(['export', 'mat', run, '--out', out]).code).toBe(0);
    const again = wmkit(['export', 'mat', run, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/e\.mat already exists; pass --force to replace it/);
    expect(wmkit(['export', 'mat', run, '--out', out, '--force']).code).toBe(0);
  });

  it('demo replaces its earlier results only with --force', () => {
    const out = join(root, 'demo');
    expect(wmkit(['demo', '--quick', '--out', out]).code).toBe(0);
    const again = wmkit(['demo', '--quick', '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/ou already holds a complete 'demo\.ou' run; .*pass --force/);
    expect(wmkit(['demo', '--quick', '--out', out, '--force']).code).toBe(0);
  });
});

describe('sizes are checked before allocating', () => {
  it('delay-snn N=1e7, attractor --trials 1e9, a rate RNN of 10⁶ units: refused at once with the estimate', () => {
    writeFileSync(join(root, 'big-ei.json'), JSON.stringify({ model: { N: 1_000_000 } }));
    const cases: [string[], RegExp][] = [
      [
        ['train', 'delay-snn', '--set', 'N=1e7', '--out', join(root, 'big1')],
        /needs ~\d+ PB of memory, this machine has [\d.]+ [GMT]B available; reduce N, D, M or T/,
      ],
      [
        ['simulate', 'attractor', '--model', 'bump', '--trials', '1e9', '--out', join(root, 'big2')],
        /needs ~[\d.]+ TB of memory, .*; reduce --trials, or run it as a sweep/,
      ],
      [
        ['train', 'ei-rnn', '--preset', 'kim2021.dms', '--config', join(root, 'big-ei.json'), '--out', join(root, 'big3')],
        /needs ~\d+ TB of memory, .*reduce model\.N/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = wmkit(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
      oneLine(r);
      expect(existsSync(join(args.at(-1) as string, 'run.json'))).toBe(false);
    }
  });

  it('a run that fits records its estimate in run.json', () => {
    const m = JSON.parse(readFileSync(join(root, 'ok', 'run.json'), 'utf8'));
    expect(m.memory.estimatedBytes).toBeGreaterThan(1e6);
    expect(m.memory.estimatedBytes).toBeLessThan(1e9);
    expect(m.memory.availableBytes).toBeGreaterThan(0);
  });

  it('progress in a log is rate-limited; per-step values go to metrics.jsonl', () => {
    const out = join(root, 'flood');
    const r = wmkit([
      'train',
      'delay-snn',
      '--preset',
      'perrinet2026.small',
      ...['--set', 'N=64', '--set', 'M=2', '--set', 'T=100', '--set', 'D=10'],
      '--steps',
      '60',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const progress = r.stderr.split('\n').filter((l) => l.includes('training ['));
    expect(progress.length).toBeLessThanOrEqual(4);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(60);
  });
});

describe('sweep bookkeeping', () => {
  it("a spec whose 'out' leaves its folder is refused unless --allow-outside; the destination is printed", () => {
    const f = sweepSpec(join(root, 'sw', 'a', 'b'), 'esc', `name: esc\n${FOLDIAK}out: ../../escaped\n`);
    const r = wmkit(['sweep', 'run', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /'out' \(\.\.\/\.\.\/escaped\) resolves to .*sw\/escaped, outside the spec's folder .*sw\/a\/b; .* pass --allow-outside/,
    );
    expect(existsSync(join(root, 'sw', 'escaped'))).toBe(false);
    const ok = wmkit(['sweep', 'run', f, '--allow-outside']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`→ ${join(root, 'sw', 'escaped')}`);
  });

  it('a command with its own --out is refused; a failed run makes a ✗ summary', () => {
    const own = sweepSpec(
      join(root, 'sw'),
      'own',
      `name: own\ncommand: [reproduce, foldiak1990, --presentations, "{p}", --out, elsewhere]\ngrid: { p: [50] }\n`,
    );
    const r = wmkit(['sweep', 'run', own]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'command' sets its own --out \(elsewhere\); remove it/);
    const bad = sweepSpec(
      join(root, 'sw'),
      'bad',
      'name: bad\ncommand: [simulate, attractor, --model, bump, --trials, "{t}", --delay, 101]\ngrid: { t: [2] }\n',
    );
    const b = wmkit(['sweep', 'run', bad]);
    expect(b.code).toBe(1);
    expect(b.stdout).toMatch(/✗ t-2_seed-0 \(exit 2\)/);
    expect(b.stdout).toMatch(/^✗ 0\/1 runs complete, 1 failed/m);
    expect(b.stdout).not.toMatch(/^✓/m);
  });

  it('SIGINT: the run in flight is marked interrupted, not left running', async () => {
    const f = sweepSpec(
      join(root, 'sw'),
      'int',
      'name: int\ncommand: [simulate, attractor, --model, bump, --trials, "{t}", --delay, 1000, --workers, 1, --seed, "{seed}"]\ngrid: { t: [400] }\n',
    );
    const runJson = join(root, 'sw', 'runs', 'int', 't-400_seed-0', 'run.json');
    const child = spawn(process.execPath, [bin, 'sweep', 'run', f, '--workers', '1'], { stdio: 'ignore' });
    await new Promise<void>((ok, fail) => {
      const t = setInterval(() => {
        if (existsSync(runJson) && JSON.parse(readFileSync(runJson, 'utf8')).status === 'running') {
          clearInterval(t);
          ok();
        }
      }, 50);
      setTimeout(() => fail(new Error('the run did not start')), 60_000);
    });
    child.kill('SIGINT');
    const code = await new Promise((ok) => child.on('exit', (c) => ok(c)));
    expect(code).toBe(130);
    const m = JSON.parse(readFileSync(runJson, 'utf8'));
    expect(m.status).toBe('interrupted');
    expect(m.error.message).toMatch(/interrupted by SIGINT/);
    expect(existsSync(join(dirname(runJson), '.lock'))).toBe(false);
  }, 120_000);
});
