/**
 * `pnpm bench [--only rng,matmul] [--quick] [--rounds K] [--out file.json] [--compare old.json [new.json]]`
 *
 * Runs every benchmark, prints one table (wmkit and its peer, each on one thread and on all
 * cores, measured in the same run, interleaved, medians) and writes the rows with the machine's
 * description (CPU, cores, Node, Python, NumPy, PyTorch, Brian2, BLAS) as JSON to
 * bench/results/latest.json (and a timestamped copy). `--compare old.json` prints, after the
 * run, how each row changed against an earlier results file; `--compare old.json new.json`
 * compares two files without running anything.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendInfo, tf } from '@wmkit/tensor';
import { attractorBench } from './benches/attractors';
import { compte2000Bench } from './benches/compte2000';
import { delaySnnBench } from './benches/delay-snn';
import { eiRnnBench, lifBench } from './benches/ei-rnn';
import { enginesBench } from './benches/engines';
import { matmulBench } from './benches/matmul';
import { peakBench } from './benches/peak';
import { peerFormsBench } from './benches/peer-forms';
import { rngBench } from './benches/rng';
import { rnnTrainBench } from './benches/rnn-train';
import { stmBench } from './benches/stm';
import { sweepBench } from './benches/sweep';
import { ALL_CORES, type Bench, type BenchRow, findPython, formatTable, peerEnv, referenceDir, speedup } from './harness';

const ALL: Bench[] = [
  peakBench,
  rngBench,
  matmulBench,
  rnnTrainBench,
  eiRnnBench,
  lifBench,
  attractorBench,
  compte2000Bench,
  enginesBench,
  delaySnnBench,
  stmBench,
  sweepBench,
  peerFormsBench,
];

const USAGE = 'usage: pnpm bench [--only name,name] [--quick] [--rounds K] [--out file.json] [--compare old.json [new.json]] [--list]';

function fail(msg: string): never {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const opts = { only: null as string[] | null, quick: false, rounds: 3, out: null as string | null, list: false, compare: [] as string[] };
  const value = (i: number, flag: string) => {
    const v = argv[i];
    if (v == null || v.startsWith('--')) fail(`${flag} needs a value (${USAGE})`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') opts.only = value(++i, a).split(',');
    else if (a === '--quick') opts.quick = true;
    else if (a === '--out') opts.out = value(++i, a);
    else if (a === '--rounds') {
      opts.rounds = Number(value(++i, a));
      if (!Number.isInteger(opts.rounds) || opts.rounds < 1) fail(`--rounds must be a positive integer, got '${argv[i]}'`);
    } else if (a === '--compare') {
      opts.compare.push(value(++i, a));
      if (argv[i + 1] && !argv[i + 1].startsWith('--')) opts.compare.push(argv[++i]);
    } else if (a === '--list') opts.list = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a !== '--') fail(`unknown argument '${a}' (try --help)`);
  }
  return opts;
}

type StoredRow = BenchRow & { speedup?: number | null; speedupAll?: number | null };
interface Report {
  started: string;
  machine: Record<string, unknown>;
  rows: StoredRow[];
}

function readReport(path: string): Report {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    fail(`cannot read '${path}' (give a results file written by pnpm bench, e.g. bench/results/latest.json)`);
  }
  try {
    const r = JSON.parse(text) as Report;
    if (!Array.isArray(r.rows)) throw new Error();
    return r;
  } catch {
    fail(`'${path}' is not a pnpm bench results file (no "rows" array)`);
  }
}

/** A row's wmkit value from this or an older results file (older files kept it in `value`). */
function wmkitOf(r: StoredRow & { value?: number }): number | null {
  return r.wmkit?.value ?? (typeof r.value === 'number' ? r.value : null);
}

/** The change of every row present in both reports, as a table; + means faster. */
export function compareReports(oldR: Report, newR: Report): string {
  const key = (r: BenchRow) => `${r.bench}|${r.case}|${r.backend ?? ''}`;
  const before = new Map(oldR.rows.map((r) => [key(r), r]));
  const pct = (a: number | null | undefined, b: number | null | undefined, better: 'higher' | 'lower') => {
    if (a == null || b == null || !a || !b) return '';
    const change = better === 'higher' ? b / a - 1 : a / b - 1;
    return `${change >= 0 ? '+' : ''}${(100 * change).toFixed(1)}%`;
  };
  const lines = [['bench', 'case', 'wmkit 1 thr', 'wmkit all', 'peer 1 thr', 'peer all', 'ratio (all cores) then → now']];
  let missing = 0;
  for (const r of newR.rows) {
    const o = before.get(key(r));
    if (!o) {
      missing++;
      continue;
    }
    const ratio = (x: StoredRow) => x.speedupAll ?? x.speedup;
    lines.push([
      r.bench,
      r.case,
      pct(wmkitOf(o), wmkitOf(r), r.better),
      pct(o.wmkit?.valueAll ?? wmkitOf(o), r.wmkit?.valueAll ?? wmkitOf(r), r.better),
      pct(o.peer?.value, r.peer?.value, r.better),
      pct(o.peer?.valueAll, r.peer?.valueAll, r.better),
      ratio(o) != null && ratio(r) != null ? `${ratio(o)?.toFixed(2)}× → ${ratio(r)?.toFixed(2)}×` : '',
    ]);
  }
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  const out = lines.map((l) =>
    l
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  out.unshift(`change from ${oldR.started} to ${newR.started} (+: faster)`);
  if (missing) out.push(`(${missing} row(s) not in the older file)`);
  return out.join('\n');
}

function machine(): Record<string, unknown> {
  // each peer runs in the first interpreter that has its library (harness.findPython)
  const peers: Record<string, unknown> = {};
  for (const lib of ['numpy', 'torch', 'brian2']) {
    const py = findPython([lib]);
    if (!py) {
      peers[lib] = 'not installed';
      continue;
    }
    const res = spawnSync(py, [join(referenceDir, 'machine_info.py')], {
      encoding: 'utf8',
      env: peerEnv(ALL_CORES),
      cwd: referenceDir,
      timeout: 120_000,
    });
    const info = res.status === 0 ? JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}') : {};
    peers[lib] = { interpreter: py, version: info[lib], python: info.python, blas: info.blas };
  }
  let flags = '';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const f = /^flags\s*:(.*)$/m.exec(info)?.[1].split(' ') ?? [];
    flags = ['avx2', 'fma', 'avx512f'].filter((x) => f.includes(x)).join(' ');
  } catch {}
  return {
    cpuModel: cpus()[0]?.model,
    cores: ALL_CORES,
    simd: flags,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: process.platform,
    tfjs: tf.version_core,
    peers,
    openblasEnvRemovedForPeers: ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'].filter((v) => process.env[v] != null),
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.list) {
    for (const b of ALL) console.log(`${b.name.padEnd(12)} ${b.description}`);
    return;
  }
  if (opts.compare.length === 2) {
    console.log(compareReports(readReport(opts.compare[0]), readReport(opts.compare[1])));
    return;
  }
  const older = opts.compare.length ? readReport(opts.compare[0]) : null;
  const unknown = (opts.only ?? []).filter((n) => !ALL.some((b) => b.name === n));
  if (unknown.length) fail(`unknown benchmark(s) ${unknown.join(', ')}; available: ${ALL.map((b) => b.name).join(', ')}`);
  const selected = ALL.filter((b) => (opts.only ? opts.only.includes(b.name) : !b.optional));
  const rows: BenchRow[] = [];
  const failed: string[] = [];
  const started = new Date();
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = join(here, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const machineInfo = machine();
  const out = opts.out ?? join(dir, 'latest.json');
  // the 1-minute load average when the run started and after each benchmark: on a shared machine
  // it tells how far the absolute numbers are from the machine's own
  const load: Record<string, number> = { start: loadavg()[0] };
  const report: Report & Record<string, unknown> = { started: started.toISOString(), machine: machineInfo, load, rows: [] };
  // written after every benchmark, so that a long run that fails late keeps what it measured
  const save = () => {
    Object.assign(report, {
      lastBackend: backendInfo(),
      quick: opts.quick,
      rounds: opts.rounds,
      failed,
      rows: rows.map((r) => ({ ...r, speedup: speedup(r), speedupAll: speedup(r, true) })),
    });
    const json = `${JSON.stringify(report, null, 2)}\n`;
    writeFileSync(out, json);
    writeFileSync(join(dir, `bench-${stamp}.json`), json);
  };
  for (const b of selected) {
    console.error(`▶ ${b.name}: ${b.description}`);
    const t0 = performance.now();
    try {
      rows.push(...(await b.run({ quick: opts.quick, rounds: opts.rounds, log: (m) => console.error(m) })));
    } catch (err) {
      failed.push(`${b.name}: ${(err as Error).message}`);
      console.error(`  ${b.name} failed: ${(err as Error).stack ?? err}`);
    }
    console.error(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    load[b.name] = loadavg()[0];
    save();
  }
  console.log(`\n${formatTable(rows)}\n`);
  const busiest = Math.max(...Object.values(load));
  if (busiest > ALL_CORES)
    console.log(
      `warning: the machine was shared (1-minute load average up to ${busiest.toFixed(1)} on ${ALL_CORES} cores): absolute numbers are below ` +
        `this machine's own, and multi-threaded peers lose most (their threads wait for each other on oversubscribed cores); ` +
        `the 1-thread ratios, measured interleaved, are the ones to read.\n`,
    );
  if (failed.length) console.log(`failed: ${failed.join('; ')}\n`);
  console.error(`results written to ${out}`);
  if (older) console.log(`\n${compareReports(older, report)}\n`);
  if (failed.length) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
