/**
 * Where a command may write a file of its own (an export, a script) without harming a run
 * directory or anything that is not a regular file.
 */
import { accessSync, constants, existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ConfigError } from './config-issues';
import { MANIFEST, METRICS } from './run-directory';
import { LOCK } from './run-lock';

// files a run directory holds as its results (never the target of an export)
const RUN_RESULT_EXTENSIONS = new Set(['.npy', '.svg', '.json', '.jsonl', '.md', '.html', '.csv', '.txt', '.png']);

/**
 * Checks where a command is about to write a file (`--out` of an export): the folder exists (with
 * `createFolder`: can be created, as its nearest existing parent is a writable folder) and
 * is writable; the target is not a directory, a device or another non-regular file, not one of a
 * run directory's own files, and replaces an existing file only with `force`. Returns the
 * absolute path; every problem is one ConfigError naming the path.
 */
export function checkOutputPath(
  out: string,
  o: { force?: boolean; option?: string; example?: string; createFolder?: boolean } = {},
): string {
  const opt = o.option ?? '--out';
  const abs = resolve(out);
  let folder = dirname(abs);
  if (o.createFolder) {
    // the folder will be created: check the nearest folder that exists instead
    while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
    if (folder !== dirname(abs)) {
      if (!statSync(folder).isDirectory()) throw new ConfigError(`${opt} ${out}: ${folder} is a file, not a folder`);
      try {
        accessSync(folder, constants.W_OK);
      } catch {
        throw new ConfigError(`${opt} ${out}: cannot create folders in ${folder} (permission denied); choose another path`);
      }
      return abs;
    }
  }
  let folderStat: ReturnType<typeof statSync>;
  try {
    folderStat = statSync(folder);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new ConfigError(`${opt} ${out}: a part of ${folder} is a file, not a folder`);
    throw new ConfigError(`${opt} ${out}: the folder ${folder} does not exist; create it first or choose another path`);
  }
  if (!folderStat.isDirectory()) throw new ConfigError(`${opt} ${out}: ${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new ConfigError(`${opt} ${out}: cannot write in ${folder} (permission denied); choose another path`);
  }
  if (existsSync(join(folder, MANIFEST))) {
    // inside a run directory: never one of the run's own files
    const name = basename(abs);
    let own = name === MANIFEST || name === METRICS || name === LOCK || name.startsWith(`${LOCK}.`);
    try {
      const m = JSON.parse(readFileSync(join(folder, MANIFEST), 'utf8')) as { arrays?: { file?: string }[]; figures?: { file?: string }[] };
      own ||= [...(m.arrays ?? []), ...(m.figures ?? [])].some((x) => x.file === name);
    } catch {
      /* an unreadable run.json: the extension check below still protects its files */
    }
    if (own || (existsSync(abs) && RUN_RESULT_EXTENSIONS.has(extname(name).toLowerCase())))
      throw new ConfigError(
        `${opt} ${out} is one of the files of the run directory ${folder}; choose another name${o.example ? ` (e.g. ${o.example})` : ''}`,
      );
  }
  let st: ReturnType<typeof lstatSync> | null = null;
  try {
    st = lstatSync(abs);
  } catch {
    st = null;
  }
  if (st) {
    if (st.isDirectory())
      throw new ConfigError(`${opt} ${out} is a directory; give a file name${o.example ? `, e.g. ${join(out, o.example)}` : ''}`);
    if (st.isSymbolicLink()) throw new ConfigError(`${opt} ${out} is a symbolic link; give the path of a regular file`);
    if (!st.isFile()) throw new ConfigError(`${opt} ${out} is not a regular file (a device, pipe or socket); choose another path`);
    if (!o.force) throw new ConfigError(`${opt} ${out} already exists; pass --force to replace it, or choose another path`);
  }
  return abs;
}
