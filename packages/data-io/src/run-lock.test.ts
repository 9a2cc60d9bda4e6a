import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RunDirectory, readRun } from './run-directory';
import { LOCK, lockHolder, processStartTime, thisWriter, writerState } from './run-lock';

const tmp = () => mkdtempSync(join(tmpdir(), 'wmkit-lock-'));
const opts = { kind: 'test.kind', config: {}, seed: 1 };

/** A run left `running` by a writer that is gone, with its lock naming `writer`. */
function abandoned(dir: string, writer: { host: string; pid: number; startTime: string | null }, lockAgeS = 0): void {
  const run = RunDirectory.create(dir, opts);
  run.complete();
  const m = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...m, status: 'running', endedAt: null, pid: writer.pid, writer }));
  writeFileSync(join(dir, LOCK), JSON.stringify({ ...writer, token: 'old', acquiredAt: m.startedAt }));
  const t = new Date(Date.now() - lockAgeS * 1000);
  utimesSync(join(dir, LOCK), t, t);
}

describe('run directory writer lock', () => {
  it('records host, PID and process start time; the lock is held while running and released at the end', () => {
    const dir = join(tmp(), 'r');
    const run = RunDirectory.create(dir, opts);
    const me = thisWriter();
    expect(me).toMatchObject({ host: hostname(), pid: process.pid });
    if (process.platform === 'linux') expect(me.startTime).toMatch(/^.+:\d+$/);
    expect(readRun(dir).manifest.writer).toEqual(me);
    expect(lockHolder(dir)).toMatchObject({ writer: me, stale: false });
    expect(() => RunDirectory.create(dir, { ...opts, overwrite: true })).toThrow(/is in use by a running wmkit process \(pid \d+\)/);
    run.complete();
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });

  it.runIf(process.platform === 'linux')(
    'a PID reused by another process (pid 1) is not the writer: the run is interrupted and --force takes it over',
    () => {
      const dir = join(tmp(), 'kill-ei');
      const startOf1 = processStartTime(1);
      expect(startOf1).not.toBeNull();
      // the writer was "pid 1", but a process that started at another time than pid 1 did
      const writer = { host: hostname(), pid: 1, startTime: `${startOf1?.split(':')[0]}:1` };
      expect(writerState(writer)).toBe('gone');
      abandoned(dir, writer);
      expect(readRun(dir).state).toBe('interrupted');
      expect(() => RunDirectory.create(dir, opts)).toThrow(/already holds an interrupted 'test\.kind' run; .* pass --force/);
      const run = RunDirectory.create(dir, { ...opts, overwrite: true });
      expect(readRun(dir).state).toBe('running');
      run.complete();
      expect(readRun(dir).state).toBe('complete');
    },
  );

  it('a writer on another host counts as running until its lock goes stale (not refreshed for WMKIT_LOCK_STALE_S)', () => {
    const dir = join(tmp(), 'remote');
    abandoned(dir, { host: 'node-17.cluster', pid: 4242, startTime: 'x:1' });
    expect(readRun(dir).state).toBe('running');
    expect(() => RunDirectory.create(dir, { ...opts, overwrite: true })).toThrow(
      /in use by a running wmkit process \(pid 4242 on host node-17\.cluster\)/,
    );
    const old = join(tmp(), 'remote-old');
    abandoned(old, { host: 'node-17.cluster', pid: 4242, startTime: 'x:1' }, 3600);
    expect(readRun(old).state).toBe('interrupted');
    RunDirectory.create(old, { ...opts, overwrite: true }).complete();
    expect(readRun(old).state).toBe('complete');
  });

  it('two writers started together on one directory: exactly one wins, the other gets a clear error (30 rounds)', async () => {
    const root = tmp();
    const rounds = 30;
    const mod = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'node.js');
    // two processes, each taking every round's directory as soon as that round's go file appears;
    // the winner holds the run until the release file appears (after both have answered), so
    // the two attempts overlap however loaded the machine is
    const writer = (seed: number) => `
      import { existsSync } from 'node:fs';
      import { RunDirectory } from ${JSON.stringify(mod)};
      const nap = new Int32Array(new SharedArrayBuffer(4));
      const waitFor = (f) => { while (!existsSync(${JSON.stringify(root)} + '/' + f)) Atomics.wait(nap, 0, 0, 1); };
      for (let round = 0; round < ${rounds}; round++) {
        waitFor('go' + round);
        let run;
        try {
          run = RunDirectory.create(${JSON.stringify(root)} + '/r' + round, { kind: 'race', config: {}, seed: ${seed}, overwrite: true });
          console.log(round + ' won');
        } catch (err) {
          console.log(round + ' lost: ' + err.message);
          continue;
        }
        waitFor('release' + round);
        for (let i = 0; i < 5; i++) run.appendMetrics({ seed: ${seed}, i });
        run.complete();
        console.log(round + ' done');
      }`;
    const results: string[][] = Array.from({ length: rounds }, () => []);
    const waiting = new Map<string, () => void>();
    const children = [1, 2].map((seed) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', writer(seed)]);
      let buf = '';
      child.stdout.on('data', (c) => {
        buf += c;
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const round = Number.parseInt(line, 10);
          results[round].push(line.slice(String(round).length + 1));
          const answered = results[round].filter((r) => r !== 'done').length;
          const done = results[round].filter((r) => r === 'done').length;
          if (answered === 2 && done === 0) waiting.get(`answered${round}`)?.();
          if (done > 0 && done === results[round].filter((r) => r === 'won').length) waiting.get(`done${round}`)?.();
        }
      });
      return new Promise((ok) => child.on('exit', ok));
    });
    const event = (name: string) => new Promise<void>((ok) => waiting.set(name, ok));
    for (let round = 0; round < rounds; round++) {
      const dir = join(root, `r${round}`);
      // a complete run is there in half the rounds: both writers replace it (--force)
      if (round % 2) RunDirectory.create(dir, opts).complete();
      const answered = event(`answered${round}`);
      const done = event(`done${round}`);
      writeFileSync(join(root, `go${round}`), '');
      await answered;
      const won = results[round].filter((r) => r === 'won');
      expect(won, results[round].join(' | ')).toHaveLength(1);
      expect(results[round].find((r) => r !== 'won')).toMatch(/^lost: .* is in use by a running wmkit process \(pid \d+\)/);
      writeFileSync(join(root, `release${round}`), '');
      await done;
      const m = readRun(dir).manifest;
      expect(m.status).toBe('complete');
      const seeds = new Set(
        readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).seed),
      );
      expect([...seeds]).toEqual([m.seed]);
      expect(existsSync(join(dir, LOCK))).toBe(false);
    }
    await Promise.all(children);
  }, 120_000);
});
