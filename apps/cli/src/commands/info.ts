import { availableParallelism, cpus, freemem, totalmem } from 'node:os';
import { type BackendInfo, initBackend } from '@wmkit/tensor';
import type { Command } from 'commander';
import { packageVersions } from '../versions';

export interface MachineInfo {
  backend: BackendInfo;
  versions: Record<string, string>;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; freeMemoryGiB: number; platform: string; arch: string; node: string };
}

export async function collectInfo(): Promise<MachineInfo> {
  const backend = await initBackend();
  return {
    backend,
    versions: packageVersions(),
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model?.trim() ?? 'unknown',
      memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
      freeMemoryGiB: +(freemem() / 2 ** 30).toFixed(1),
      platform: process.platform,
      arch: process.arch,
      node: process.version,
    },
  };
}

export function formatInfo(info: MachineInfo): string {
  const b = info.backend;
  const lines = [
    'wmkit — working-memory circuit models',
    '',
    'tensor backend',
    `  chosen       ${b.name} (${b.package}) on ${b.device}${b.chosenBy === 'default' ? '' : `, forced by ${b.chosenBy}`}`,
    `  threads      ${b.threads || 'n/a'}`,
    `  SIMD         ${b.simd == null ? 'n/a' : b.simd ? 'yes' : 'no'}`,
    ...b.skipped.map((s) => `  skipped      ${s.package}: ${s.reason}`),
    `  tfjs-core    ${b.tfjsVersion}`,
    '',
    'machine',
    `  cores        ${info.machine.cpus} (${info.machine.cpuModel})`,
    `  memory       ${info.machine.memoryGiB} GiB (${info.machine.freeMemoryGiB} GiB free)`,
    `  platform     ${info.machine.platform}-${info.machine.arch}, Node ${info.machine.node}`,
    '',
    'packages',
    ...Object.entries(info.versions).map(([k, v]) => `  ${k.padEnd(32)} ${v}`),
  ];
  if (b.name !== 'tensorflow' && info.machine.platform === 'linux') {
    lines.push(
      '',
      'hint: `npm install @tensorflow/tfjs-node` (needs internet to fetch libtensorflow) adds the faster TensorFlow C backend.',
    );
  }
  return lines.join('\n');
}

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show the tensor backend chosen (threads, SIMD), package versions, cores and memory')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      '\nSet WMKIT_BACKEND=cpu|wasm|tensorflow to force a backend.\n' +
        '\nExamples:\n  wmkit info\n  WMKIT_BACKEND=cpu wmkit info --json\n' +
        '\nWrites: nothing (prints to the terminal)',
    )
    .action(async (opts: { json?: boolean }) => {
      const info = await collectInfo();
      console.log(opts.json ? JSON.stringify(info, null, 2) : formatInfo(info));
    });
}
