/**
 * What the before/after scripts of bench/ab share: option parsing, compiling kernel C as
 * scripts/build-kernels.sh does, resolve hooks that send a package to another build, alternating
 * rounds, the statistics, digests and the JSON output. See bench/ab/README.md.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const root = path.resolve(here, '../..');
export { os };

/**
 * `--name value` pairs into a copy of `defaults`; a value is a number unless its default is a
 * string or its name is in `strings`. An unknown name, a missing value or a missing `required`
 * option prints `usage` and exits with status 2.
 */
export function parseOptions(usage, defaults, { strings = [], required = [], argv = process.argv.slice(2) } = {}) {
  const opts = { ...defaults };
  const fail = (why) => {
    if (why) console.error(why);
    console.error(`usage: ${usage}`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i]?.startsWith('--') ? argv[i].slice(2) : null;
    if (k == null || !(k in opts) || argv[i + 1] == null) fail(`unknown option or missing value: ${argv[i]}`);
    const v = argv[i + 1];
    opts[k] = strings.includes(k) || typeof defaults[k] === 'string' ? v : Number(v);
    if (typeof opts[k] === 'number' && Number.isNaN(opts[k])) fail(`--${k} wants a number, not ${v}`);
  }
  for (const k of required) if (opts[k] == null) fail(`--${k} is required`);
  return opts;
}

/** A fresh temporary folder. */
export const tempDir = (prefix) => mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));

/** `file` (relative to the root) as it is at git revision `rev`, written to `dest`. */
export function gitShow(rev, file, dest) {
  writeFileSync(dest, execFileSync('git', ['-C', root, 'show', `${rev}:${file}`]));
  return dest;
}

/** Folder `dir` (relative to the root) as it is at git revision `rev`, extracted under `dest`; returns its path there. */
export function gitArchive(rev, dir, dest) {
  mkdirSync(dest, { recursive: true });
  execFileSync('sh', ['-c', `git -C "${root}" archive ${rev} ${dir} | tar -x -C "${dest}"`]);
  return path.join(dest, dir);
}

/**
 * Compiles one kernel C file as scripts/build-kernels.sh does: clang 14 and the plain-SIMD flags,
 * or (`relaxed`) clang 19 with -mrelaxed-simd -ffp-contract=off; `threads` adds the shared-memory
 * form. Returns the base64 of the single-thread module and (with `threads`) of the threaded one.
 */
export function compileKernel(cFile, outBase, { relaxed = false, include = [], threads = true } = {}) {
  const v = relaxed ? 19 : 14;
  const cflags = ['--target=wasm32', '-O3', '-msimd128', '-mbulk-memory', '-nostdlib', '-ffreestanding', '-fvisibility=hidden'];
  cflags.push('-fno-builtin', '-Wall', '-Werror', '-Wno-unused-function', ...include.flatMap((d) => ['-I', d]));
  if (relaxed) cflags.push('-mrelaxed-simd', '-ffp-contract=off');
  const ld = execFileSync('sh', ['-c', `command -v wasm-ld-${v}`])
    .toString()
    .trim();
  const ldflags = ['-Wl,--no-entry', '-Wl,--export-dynamic', '-Wl,--import-memory', '-Wl,--strip-all', `-fuse-ld=${ld}`];
  const threadFlags = ['-matomics', '-mmutable-globals', ...ldflags, '-Wl,--shared-memory', '-Wl,--max-memory=4294967296'];
  threadFlags.push('-Wl,--export=__stack_pointer');
  execFileSync(`clang-${v}`, [...cflags, ...ldflags, '-o', `${outBase}.wasm`, cFile]);
  const out = { single: readFileSync(`${outBase}.wasm`).toString('base64') };
  if (threads) {
    execFileSync(`clang-${v}`, [...cflags, ...threadFlags, '-o', `${outBase}-threads.wasm`, cFile]);
    out.threads = readFileSync(`${outBase}-threads.wasm`).toString('base64');
  }
  return out;
}

/**
 * A module for `node --import` (written into `dir`) that registers a resolve hook sending each
 * specifier of `map` (e.g. '@wmkit/tensor') to its file.
 */
export function resolveHook(dir, name, map) {
  const urls = Object.fromEntries(Object.entries(map).map(([s, f]) => [s, pathToFileURL(path.resolve(f)).href]));
  const hooks = path.join(dir, `${name}-hooks.mjs`);
  writeFileSync(
    hooks,
    `const t = ${JSON.stringify(urls)};\nexport async function resolve(s, c, next) {\n  return t[s] ? { url: t[s], shortCircuit: true } : next(s, c);\n}\n`,
  );
  const f = path.join(dir, `${name}-register.mjs`);
  writeFileSync(f, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return f;
}

/** Runs `node [--import hook] args…` and returns the JSON of its last line of output. */
export function runChild(hook, args, { cwd = here, env = process.env } = {}) {
  const out = execFileSync(process.execPath, [...(hook ? ['--import', hook] : []), ...args], {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop());
}

/**
 * `rounds` interleaved rounds: `run(name, round)` once per name per round, in the order of `names`
 * (`swap`: reversed every other round); returns { name: [results…] }.
 */
export function alternate(rounds, names, run, { swap = false } = {}) {
  const res = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) for (const name of swap && r % 2 ? names.slice().reverse() : names) res[name].push(run(name, r));
  return res;
}

/** The upper median (the middle element; for an even count the higher of the two middle ones). */
export const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
/** The mean of the five lowest values. */
export const lowest5 = (a) => {
  const s = a
    .slice()
    .sort((x, y) => x - y)
    .slice(0, 5);
  return s.reduce((t, x) => t + x, 0) / s.length;
};
/** The median of the per-round ratios before[r] / after[r]. */
export const pairedMedian = (before, after) => median(before.map((x, r) => x / after[r]));

/** sha256 (first 16 hex digits) of the bytes of typed arrays or kernel buffers (`viewU8`); nulls skipped. */
export function digest(items) {
  const h = createHash('sha256');
  for (const x of items) {
    if (x == null) continue;
    if (typeof x.viewU8 === 'function') h.update(x.viewU8().slice());
    else if (ArrayBuffer.isView(x)) h.update(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
    else h.update(x);
  }
  return h.digest('hex').slice(0, 16);
}

/** CPU µs (user + system, all threads) and wall ms of `f()`, and its result. */
export function timed(f) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, cpuUs: c.user + c.system, wallMs };
}

/** Prints `result` as JSON (indent `indent`) and writes it to `out` if given. */
export function emit(result, out, indent = 2) {
  console.log(JSON.stringify(result, null, indent));
  if (out) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
}

/**
 * Per build: `<key>Median` and `<key>Min` over its rounds' `key`, then `extra`'s fields (each a
 * function of the rounds), its digest and the rounds.
 */
export function summarize(rounds, digests, key, extra = {}) {
  return Object.fromEntries(
    Object.entries(rounds).map(([name, rs]) => {
      const v = rs.map((x) => x[key]);
      const more = Object.fromEntries(Object.entries(extra).map(([k, f]) => [k, f(rs)]));
      return [name, { [`${key}Median`]: median(v), [`${key}Min`]: Math.min(...v), ...more, digest: digests[name], rounds: rs }];
    }),
  );
}

/**
 * The printed result: `what`, the `labels` of the two builds, whether the digests are equal (under
 * `identicalKey`), the speedups of the median and of the min of `key`, `extra` fields, the load
 * and the builds' summaries.
 */
export function abResult({ what, labels, identicalKey, summary, key, extra = {} }) {
  const { before: b, after: a } = summary;
  return {
    what,
    ...labels,
    [identicalKey]: b.digest === a.digest,
    speedupCpuMedian: b[`${key}Median`] / a[`${key}Median`],
    speedupCpuMin: b[`${key}Min`] / a[`${key}Min`],
    ...extra,
    loadAverage: os.loadavg(),
    builds: summary,
  };
}
