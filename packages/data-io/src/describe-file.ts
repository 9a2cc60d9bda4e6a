/**
 * A description of a data file for people (`wmkit inspect`): what a .npy, MAT-file, HDF5 or NWB
 * file holds; and a Level 5 MAT-file read from disk (`readMatFile`).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { ConfigError } from './config-issues';
import { isHdf5File, listHdf5 } from './hdf5';
import { describeMat, isMatV73, type MatFile, readMat } from './mat';
import { decodeNpy } from './npy';

/** The bytes of a file; a ConfigError naming it when it cannot be read. */
function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch {
    throw new ConfigError(`${file}: cannot read the file`);
  }
}

/** A Level 5 MAT-file from disk (`readMat`); a file that cannot be read is a ConfigError naming it. */
export function readMatFile(file: string): MatFile {
  return readMat(readBytes(file), file);
}

function preview(data: ArrayLike<number | bigint>): string {
  const n = Math.min(6, data.length);
  const xs = Array.from({ length: n }, (_, i) => {
    const v = data[i];
    return typeof v === 'bigint' ? v.toString() : Number.isInteger(v) ? String(v) : v.toPrecision(5);
  });
  return `[${xs.join(', ')}${data.length > n ? ', …' : ''}]`;
}

/**
 * What a .npy, MAT-file (v5 or v7.3), HDF5 or NWB file holds, as lines for a terminal (names,
 * classes, shapes, a few values), and the MAT-file variables of a class that cannot be read.
 * A file that cannot be read or is of none of these kinds is a ConfigError.
 */
export async function describeDataFile(file: string): Promise<{ lines: string[]; skipped: { name: string; className: string }[] }> {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const bytes = readBytes(file);
  const ext = extname(file).toLowerCase();
  if (ext === '.npy') {
    const a = decodeNpy(bytes, file);
    log(`${file}: .npy ${a.dtype} [${a.shape.join(', ')}] ${preview(a.data as ArrayLike<number>)}`);
    return { lines, skipped: [] };
  }
  if (ext === '.mat' && !isMatV73(bytes)) {
    const m = readMat(bytes, file);
    log(`${file}: MATLAB Level 5 MAT-file (${m.littleEndian ? 'little' : 'big'}-endian) — ${m.header}`);
    for (const line of describeMat(m)) log(`  ${line}`);
    return { lines, skipped: m.skipped };
  }
  if (isHdf5File(file)) {
    const nodes = await listHdf5(file);
    const root = nodes[0]?.attrs ?? {};
    const kind = isMatV73(bytes)
      ? 'MATLAB v7.3 MAT-file (HDF5)'
      : root.neurodata_type === 'NWBFile'
        ? `NWB ${String(root.nwb_version ?? '')} (HDF5)`
        : 'HDF5';
    log(`${file}: ${kind}`);
    for (const n of nodes.slice(1)) {
      const depth = n.path.split('/').length - 2;
      const pad = '  '.repeat(depth + 1);
      const name = n.path.split('/').pop();
      const type = n.attrs.neurodata_type
        ? `  <${String(n.attrs.neurodata_type)}>`
        : n.attrs.MATLAB_class
          ? `  <${String(n.attrs.MATLAB_class)}>`
          : '';
      if (n.kind === 'group') log(`${pad}${name}/${type}`);
      else if (n.kind === 'dataset') {
        // v7.3 stores MATLAB arrays transposed: show MATLAB's size
        const shape = n.attrs.MATLAB_class ? `MATLAB size ${[...(n.shape ?? [])].reverse().join('×')}` : `[${(n.shape ?? []).join(', ')}]`;
        log(`${pad}${name}  ${n.dtype}  ${shape}${type}`);
      } else log(`${pad}${name}  (link)`);
    }
    return { lines, skipped: [] };
  }
  throw new ConfigError(`${file}: not a .npy, MAT-file or HDF5/NWB file wmkit can read`);
}
