/**
 * `wmkit inspect file.(mat|h5|nwb|npy)` — prints what a file holds: names, classes, shapes.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { decodeNpy, describeMat, isMatV73, readMat } from '@wmkit/data-io';
import { isHdf5File, listHdf5 } from '@wmkit/data-io/node';
import type { Command } from 'commander';
import { UsageError } from '../../errors';

function preview(data: ArrayLike<number | bigint>): string {
  const n = Math.min(6, data.length);
  const xs = Array.from({ length: n }, (_, i) => {
    const v = data[i];
    return typeof v === 'bigint' ? v.toString() : Number.isInteger(v) ? String(v) : v.toPrecision(5);
  });
  return `[${xs.join(', ')}${data.length > n ? ', …' : ''}]`;
}

export async function inspectFile(file: string): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new UsageError(`${file}: cannot read the file`);
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.npy') {
    const a = decodeNpy(bytes, file);
    console.log(`${file}: .npy ${a.dtype} [${a.shape.join(', ')}] ${preview(a.data as ArrayLike<number>)}`);
    return 0;
  }
  if (ext === '.mat' && !isMatV73(bytes)) {
    const m = readMat(bytes, file);
    console.log(`${file}: MATLAB Level 5 MAT-file (${m.littleEndian ? 'little' : 'big'}-endian) — ${m.header}`);
    for (const line of describeMat(m)) console.log(`  ${line}`);
    warnSkipped(file, m.skipped);
    return 0;
  }
  if (isHdf5File(file)) {
    const nodes = await listHdf5(file);
    const root = nodes[0]?.attrs ?? {};
    const kind = isMatV73(bytes)
      ? 'MATLAB v7.3 MAT-file (HDF5)'
      : root.neurodata_type === 'NWBFile'
        ? `NWB ${String(root.nwb_version ?? '')} (HDF5)`
        : 'HDF5';
    console.log(`${file}: ${kind}`);
    for (const n of nodes.slice(1)) {
      const depth = n.path.split('/').length - 2;
      const pad = '  '.repeat(depth + 1);
      const name = n.path.split('/').pop();
      const type = n.attrs.neurodata_type
        ? `  <${String(n.attrs.neurodata_type)}>`
        : n.attrs.MATLAB_class
          ? `  <${String(n.attrs.MATLAB_class)}>`
          : '';
      if (n.kind === 'group') console.log(`${pad}${name}/${type}`);
      else if (n.kind === 'dataset') {
        // v7.3 stores MATLAB arrays transposed: show MATLAB's size
        const shape = n.attrs.MATLAB_class ? `MATLAB size ${[...(n.shape ?? [])].reverse().join('×')}` : `[${(n.shape ?? []).join(', ')}]`;
        console.log(`${pad}${name}  ${n.dtype}  ${shape}${type}`);
      } else console.log(`${pad}${name}  (link)`);
    }
    return 0;
  }
  throw new UsageError(`${file}: not a .npy, MAT-file or HDF5/NWB file wmkit can read`);
}

export function registerInspect(program: Command): void {
  program
    .command('inspect <file>')
    .description('print what a .mat (v5 or v7.3), .h5, .nwb or .npy file holds: names, classes, shapes')
    .addHelpText(
      'after',
      '\nExamples:\n  wmkit inspect Task_dms_N200.mat\n  wmkit inspect runs/dms-1/w.npy\n\nWrites: nothing (prints to the terminal)',
    )
    .action(async (file: string) => {
      process.exitCode = await inspectFile(file);
    });
}

/** One warning line naming the variables of a .mat that could not be read (their class unsupported). */
export function warnSkipped(file: string, skipped: { name: string; className: string }[]): void {
  if (!skipped.length) return;
  console.error(
    `wmkit: warning: ${file}: skipped ${skipped.length} variable${skipped.length > 1 ? 's' : ''} of a class wmkit cannot read: ${skipped.map((s) => `${s.name} (${s.className})`).join(', ')}; save them as numeric arrays, char arrays, structs or cells (e.g. double(x), char(s), table2struct(t)) if they are needed`,
  );
}
