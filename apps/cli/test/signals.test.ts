/**
 * Ctrl-C and SIGTERM reach commands whose work is one long computation: each is started with a
 * workload far longer than the test, signalled once it has printed its first line, and must exit
 * with 130 (SIGINT) or 143 (SIGTERM) within a few seconds, its run directory marked interrupted.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeMat } from '@wmkit/data-io';
import { Rng } from '@wmkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { wmkit } from './helpers';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'dist', 'bin.js');
const kimMat = join(here, '..', '..', '..', 'packages', 'ei-rnn', 'test', 'fixtures', 'kim_dms_model.mat');
const root = mkdtempSync(join(tmpdir(), 'wmkit-signals-'));

// the command has started its loop when it printed its first line (and then some): the signal
// then has to get through a running computation, not a command still starting
const SETTLE_MS = 1500;
// how long the command may take to stop after the signal (generous for a loaded machine)
const STOP_WITHIN_MS = 8000;

interface Stopped {
  code: number | null;
  afterSignalMs: number;
  output: string;
}

/** Starts `wmkit args`, sends `signal` once it has printed its first line, and waits for it to end. */
function interrupt(args: string[], signal: 'SIGINT' | 'SIGTERM'): Promise<Stopped> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let sentAt = 0;
    const started = () => {
      if (sentAt || timer === null) return;
      clearTimeout(timer);
      timer = null;
      setTimeout(() => {
        sentAt = performance.now();
        child.kill(signal);
      }, SETTLE_MS);
    };
    let timer: ReturnType<typeof setTimeout> | null = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wmkit ${args.join(' ')} printed nothing in 60 s`));
    }, 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      started();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      if (!sentAt) reject(new Error(`wmkit ${args.join(' ')} ended (code ${code}) before the signal:\n${output}`));
      else resolve({ code, afterSignalMs: performance.now() - sentAt, output });
    });
  });
}

function expectInterrupted(dir: string, r: Stopped, signal: 'SIGINT' | 'SIGTERM'): void {
  expect(r.output).not.toMatch(/internal error|✓/);
  expect(r.code).toBe(signal === 'SIGINT' ? 130 : 143);
  expect(r.afterSignalMs).toBeLessThan(STOP_WITHIN_MS);
  const m = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  expect(m.status).toBe('interrupted');
  expect(m.error.message).toBe(`interrupted by ${signal}`);
  expect(existsSync(join(dir, '.lock'))).toBe(false);
}

// a rate run to convert (the authors' model, imported without its spiking check)
const rateRun = join(root, 'kim');
// recorded trials for analyze wimmer: 8 cues, 40 trials, 12 units, 5-s trials in 50-ms bins
const recorded = join(root, 'recorded.mat');

beforeAll(() => {
  const r = wmkit(['import', 'kim-mat', kimMat, '--trials', '10', '--spiking-trials', '0', '--out', rateRun]);
  expect(r.code).toBe(0);
  const rng = new Rng(5);
  const [T, U, B] = [40, 12, 100];
  const counts = new Float64Array(T * U * B);
  const cue = new Float64Array(T);
  const response = new Float64Array(T);
  const dev = rng.normal([T], 0, 0.25);
  for (let t = 0; t < T; t++) {
    cue[t] = (t % 8) + 1;
    response[t] = (2 * Math.PI * (t % 8)) / 8 + dev[t];
    for (let u = 0; u < U; u++) for (let b = 0; b < B; b++) counts[(t * U + u) * B + b] = rng.poisson([1], 0.5)[0];
  }
  writeFileSync(
    recorded,
    writeMat({
      counts: { data: counts, shape: [T, U, B] },
      cue: { data: cue, shape: [T, 1] },
      response: { data: response, shape: [T, 1] },
      bin_ms: 50,
    }),
  );
}, 120_000);

describe('SIGINT / SIGTERM stop long loops: exit 130 / 143, run.json interrupted', () => {
  it('train delay-snn (SIGINT during gradient steps)', async () => {
    const out = join(root, 'hd');
    const args = ['train', 'delay-snn', '--preset', 'perrinet2026.small', '--set', 'N=64', '--set', 'T=200', '--set', 'M=2'];
    const r = await interrupt([...args, '--set', 'D=10', '--steps', '1000000', '--out', out], 'SIGINT');
    expectInterrupted(out, r, 'SIGINT');
  }, 120_000);

  it('train stm-rnn (SIGINT during epochs)', async () => {
    const out = join(root, 'stm');
    const r = await interrupt(
      ['train', 'stm-rnn', '--lr', '0.1', '--epochs', '1000000', '--trials-per-cue', '2', '--no-fixed-points', '--out', out],
      'SIGINT',
    );
    expectInterrupted(out, r, 'SIGINT');
  }, 120_000);

  it('convert lif (SIGINT during the λ search)', async () => {
    const r = await interrupt(['convert', 'lif', rateRun, '--grid', '20,30,40,50,60,70', '--trials', '1000'], 'SIGINT');
    expectInterrupted(join(rateRun, 'lif'), r, 'SIGINT');
  }, 120_000);

  it('import kim-mat (SIGINT during the rate evaluation)', async () => {
    const out = join(root, 'imported');
    const r = await interrupt(['import', 'kim-mat', kimMat, '--trials', '10000000', '--spiking-trials', '0', '--out', out], 'SIGINT');
    expectInterrupted(out, r, 'SIGINT');
  }, 120_000);

  it('analyze wimmer (SIGINT during the permutation tests)', async () => {
    const out = join(root, 'wimmer');
    const r = await interrupt(
      ['analyze', 'wimmer', '--data', recorded, '--delay', '1000,4000', '--permutations', '100000000', '--out', out],
      'SIGINT',
    );
    expectInterrupted(out, r, 'SIGINT');
  }, 120_000);

  it('reproduce foldiak1990 (SIGTERM during learning)', async () => {
    const out = join(root, 'foldiak');
    const r = await interrupt(['reproduce', 'foldiak1990', '--seeds', '1', '--presentations', '100000000', '--out', out], 'SIGTERM');
    expectInterrupted(out, r, 'SIGTERM');
  }, 120_000);
});
