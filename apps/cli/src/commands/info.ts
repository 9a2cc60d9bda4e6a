import { availableParallelism, cpus, freemem, totalmem } from 'node:os';
import { type BackendInfo, initBackend } from '@wmkit/tensor';
import type { Command } from 'commander';
import { packageVersions } from '../versions';

/** Which engines a model offers and what each would run on here. */
export interface ModelEngines {
  model: string;
  /** Commands that take --engine for it. */
  commands: string;
  /** The default engine: the fused wasm kernels (on the CPU, whatever the tfjs backend). */
  kernels: 'wasm' | 'JavaScript';
  /** The tfjs backend `--engine tfjs` would run it on, or null where the model has no tfjs form. */
  tfjs: string | null;
}

export interface MachineInfo {
  backend: BackendInfo;
  /** Per model: the kernels engine (default) and the tfjs backend `--engine tfjs` would use. */
  engines: ModelEngines[];
  versions: Record<string, string>;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; freeMemoryGiB: number; platform: string; arch: string; node: string };
}

/** The models and their engines; `tfjsBackend` is the backend @wmkit/tensor selected at run time. */
export function modelEngines(tfjsBackend: string): ModelEngines[] {
  return [
    { model: 'E/I rate RNN (Kim)', commands: 'train ei-rnn, simulate <run>, reproduce kim2021', kernels: 'wasm', tfjs: tfjsBackend },
    { model: 'LIF conversion (Kim)', commands: 'convert lif, simulate <run> --spiking', kernels: 'wasm', tfjs: tfjsBackend },
    { model: 'STM RNN (Kurtkaya)', commands: 'train stm-rnn, reproduce kurtkaya2025', kernels: 'wasm', tfjs: tfjsBackend },
    { model: 'ring attractors (Wimmer)', commands: 'simulate attractor, reproduce wimmer2014', kernels: 'wasm', tfjs: tfjsBackend },
    { model: 'delay SNN (Perrinet)', commands: 'train/evaluate/scan delay-snn', kernels: 'wasm', tfjs: tfjsBackend },
    { model: 'Földiák sparse coding', commands: 'reproduce foldiak1990', kernels: 'JavaScript', tfjs: tfjsBackend },
    { model: 'spiking ring (Compte)', commands: 'simulate compte2000, reproduce compte2000', kernels: 'wasm', tfjs: null },
  ];
}

export async function collectInfo(): Promise<MachineInfo> {
  const backend = await initBackend();
  return {
    backend,
    engines: modelEngines(backend.name),
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
    'engines (--engine kernels, the default: fused wasm kernels on the CPU; --engine tfjs: TensorFlow.js ops on the backend above)',
    ...info.engines.map(
      (e) =>
        `  ${e.model.padEnd(26)} kernels: ${e.kernels}   tfjs: ${e.tfjs ? `${e.tfjs} (${b.device})` : 'none (kernels only)'}   [${e.commands}]`,
    ),
    '  tfjs-node / tfjs-node-gpu are used by --engine tfjs when installed; they are detected at run time (WMKIT_BACKEND forces one).',
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
      'hint: `npm install @tensorflow/tfjs-node` (or -gpu; needs internet to fetch libtensorflow) adds the TensorFlow C backend; only --engine tfjs runs on it, the default kernels engine does not.',
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
