/**
 * `pnpm bench [--only rng,matmul] [--quick] [--out file.json]`
 *
 * Runs every benchmark, prints one table (result, the reference measured in the same run,
 * and the speed-up) and writes the rows with machine and backend details as JSON to
 * bench/results/latest.json (and a timestamped copy).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendInfo, tf } from '@wmkit/tensor';
import { attractorBench } from './benches/attractors';
import { compte2000Bench } from './benches/compte2000';
import { delaySnnBench } from './benches/delay-snn';
import { eiRnnBench } from './benches/ei-rnn';
import { matmulBench } from './benches/matmul';
import { rngBench } from './benches/rng';
import { rnnTrainBench } from './benches/rnn-train';
import { stmBench } from './benches/stm';
import { type Bench, type BenchRow, formatTable, speedup } from './harness';

const ALL: Bench[] = [rngBench, matmulBench, rnnTrainBench, eiRnnBench, attractorBench, compte2000Bench, delaySnnBench, stmBench];

function parseArgs(argv: string[]) {
  const opts = { only: null as string[] | null, quick: false, out: null as string | null, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') opts.only = argv[++i].split(',');
    else if (a === '--quick') opts.quick = true;
    else if (a === '--out') opts.out = argv[++i];
    else if (a === '--list') opts.list = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: pnpm bench [--only name,name] [--quick] [--out file.json] [--list]');
      process.exit(0);
    } else if (a !== '--') {
      console.error(`bench: unknown argument '${a}' (try --help)`);
      process.exit(2);
    }
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.list) {
    for (const b of ALL) console.log(`${b.name.padEnd(12)} ${b.description}`);
    return;
  }
  const unknown = (opts.only ?? []).filter((n) => !ALL.some((b) => b.name === n));
  if (unknown.length) {
    console.error(`bench: unknown benchmark(s) ${unknown.join(', ')}; available: ${ALL.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  const selected = ALL.filter((b) => !opts.only || opts.only.includes(b.name));
  const rows: BenchRow[] = [];
  const started = new Date();
  for (const b of selected) {
    console.error(`▶ ${b.name}: ${b.description}`);
    const t0 = performance.now();
    rows.push(...(await b.run({ quick: opts.quick, log: (m) => console.error(m) })));
    console.error(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log(`\n${formatTable(rows)}\n`);
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = join(here, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const report = {
    started: started.toISOString(),
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model,
      memoryGiB: totalmem() / 2 ** 30,
      node: process.version,
      platform: process.platform,
    },
    tfjs: tf.version_core,
    lastBackend: backendInfo(),
    quick: opts.quick,
    rows: rows.map((r) => ({ ...r, speedup: speedup(r) })),
  };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  writeFileSync(opts.out ?? join(dir, 'latest.json'), json);
  writeFileSync(join(dir, `bench-${stamp}.json`), json);
  console.error(`results written to ${opts.out ?? join(dir, 'latest.json')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
