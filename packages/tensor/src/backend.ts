/**
 * Backend selection.
 *
 * Node:    `@tensorflow/tfjs-node-gpu` → `@tensorflow/tfjs-node` → wasm → cpu
 * Browser: webgpu → webgl → wasm → cpu
 *
 * The TensorFlow C backends (`tensorflow`) are optional peer dependencies: they are
 * loaded with a dynamic import only when installed (their install downloads
 * libtensorflow, which many machines cannot). webgpu and webgl are used when the
 * application has imported `@tensorflow/tfjs-backend-webgpu` / `-webgl` (optional
 * peers). wasm (XNNPACK, SIMD) and cpu (pure JS) always ship with this package.
 *
 * `WMKIT_BACKEND=cpu|wasm|tensorflow|webgl|webgpu` forces one and wins over the
 * argument; asking for one that cannot load is an error that names what to install.
 * On wasm, wmkit's faster Slice/Unpack/SplitV kernels are installed (./wasm-kernels.ts);
 * `WMKIT_WASM_STOCK_KERNELS=1` keeps tfjs's own.
 *
 * @example
 * ```ts
 * const info = await initBackend();      // { name: 'wasm', simd: true, threads: 1, ... }
 * await initBackend('cpu');              // force the pure-JS backend
 * ```
 */

import { UserError } from './errors';
import { initKernels } from './kernels';
import { tf } from './tf';
import { useFastWasmKernels } from './wasm-kernels';

/** A TensorFlow.js backend wmkit can select. */
export type BackendName = 'cpu' | 'wasm' | 'tensorflow' | 'webgl' | 'webgpu';
/** Every backend name `initBackend` and WMKIT_BACKEND accept. */
export const BACKEND_NAMES: readonly BackendName[] = ['cpu', 'wasm', 'tensorflow', 'webgl', 'webgpu'];

/** A backend that was tried and skipped: its package and why. */
export interface BackendAttempt {
  name: BackendName;
  package: string;
  reason: string;
}

/** What `initBackend` chose; record it in every run so timings can be compared. */
export interface BackendInfo {
  name: BackendName;
  /** npm package that provides the backend. */
  package: string;
  platform: 'node' | 'browser';
  device: 'cpu' | 'gpu';
  /** Compute threads the backend uses (0 where the backend does not say). */
  threads: number;
  /** WebAssembly SIMD in use (wasm only; null where it does not apply). */
  simd: boolean | null;
  /** Why this one: the default order, the argument, or the WMKIT_BACKEND variable. */
  chosenBy: 'default' | 'argument' | 'WMKIT_BACKEND';
  /** wmkit's kernel replacements active on this backend (see wasm-kernels.ts). */
  patches: string[];
  /** Backends tried before this one, with the reason each was skipped. */
  skipped: BackendAttempt[];
  tfjsVersion: string;
}

/** A forced backend could not be loaded. The message names the package to install. */
export class BackendUnavailableError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

/** Overrides of `initBackend` (module loader and environment), used by tests. */
export interface InitBackendOptions {
  /** Module loader (tests inject one to simulate installed / missing packages). */
  importModule?: (specifier: string) => Promise<unknown>;
  /** Environment variables to read WMKIT_BACKEND from (default: process.env in Node). */
  env?: Record<string, string | undefined>;
}

interface Candidate {
  name: BackendName;
  package: string;
  device: 'cpu' | 'gpu';
}

const NODE_ORDER: Candidate[] = [
  { name: 'tensorflow', package: '@tensorflow/tfjs-node-gpu', device: 'gpu' },
  { name: 'tensorflow', package: '@tensorflow/tfjs-node', device: 'cpu' },
  { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', device: 'cpu' },
  { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', device: 'cpu' },
];
const BROWSER_ORDER: Candidate[] = [
  { name: 'webgpu', package: '@tensorflow/tfjs-backend-webgpu', device: 'gpu' },
  { name: 'webgl', package: '@tensorflow/tfjs-backend-webgl', device: 'gpu' },
  { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', device: 'cpu' },
  { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', device: 'cpu' },
];

const INSTALL_HINT: Record<string, string> = {
  '@tensorflow/tfjs-node-gpu':
    'npm install @tensorflow/tfjs-node-gpu@4.22.0 (its install downloads libtensorflow with CUDA; needs internet and a CUDA GPU)',
  '@tensorflow/tfjs-node': 'npm install @tensorflow/tfjs-node@4.22.0 (its install downloads libtensorflow; needs internet)',
  '@tensorflow/tfjs-backend-webgl':
    "npm install @tensorflow/tfjs-backend-webgl@4.22.0 and `import '@tensorflow/tfjs-backend-webgl'` in the app",
  '@tensorflow/tfjs-backend-webgpu':
    "npm install @tensorflow/tfjs-backend-webgpu@4.22.0 and `import '@tensorflow/tfjs-backend-webgpu'` in the app",
  '@tensorflow/tfjs-backend-wasm': 'npm install @tensorflow/tfjs-backend-wasm@4.22.0',
  '@tensorflow/tfjs-backend-cpu': 'npm install @tensorflow/tfjs-backend-cpu@4.22.0',
};

/** True when running in Node.js (not a browser). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return p?.versions?.node != null;
}

/** Imports an optional peer without letting bundlers resolve it at build time. */
function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}

async function defaultImport(specifier: string): Promise<unknown> {
  // Static specifiers for the backends this package ships, so bundlers include them.
  if (specifier === '@tensorflow/tfjs-backend-wasm') return import('@tensorflow/tfjs-backend-wasm');
  if (specifier === '@tensorflow/tfjs-backend-cpu') return import('@tensorflow/tfjs-backend-cpu');
  return importOptional(specifier);
}

function describeLoadError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') return 'not installed';
  const msg = String(e?.message ?? err).split('\n')[0];
  return /Cannot find (module|package)|Could not resolve/.test(msg) ? 'not installed' : `failed to load: ${msg}`;
}

/** Loads a candidate; returns null on success or the reason it is unavailable. */
async function tryCandidate(c: Candidate, browser: boolean, load: InitBackendOptions['importModule']): Promise<string | null> {
  if (!browser && (c.name === 'webgl' || c.name === 'webgpu')) return `${c.name} runs only in a browser`;
  if (browser && c.name === 'tensorflow') return 'the TensorFlow C backend runs only in Node';
  if (browser && (c.name === 'webgl' || c.name === 'webgpu')) {
    if (tf.findBackendFactory(c.name) == null) return `not registered (import '${c.package}' in the app)`;
  } else if (tf.findBackendFactory(c.name) == null || c.name === 'tensorflow') {
    try {
      await (load ?? defaultImport)(c.package);
    } catch (err) {
      return describeLoadError(err);
    }
    if (tf.findBackendFactory(c.name) == null) return `loaded but registered no '${c.name}' backend`;
  }
  try {
    const ok = await tf.setBackend(c.name);
    if (!ok) return 'could not initialise';
    await tf.ready();
  } catch (err) {
    return `could not initialise: ${String((err as Error)?.message ?? err).split('\n')[0]}`;
  }
  return null;
}

async function describe(c: Candidate, browser: boolean): Promise<Pick<BackendInfo, 'threads' | 'simd'>> {
  if (c.name === 'wasm') {
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const wasm = (await defaultImport('@tensorflow/tfjs-backend-wasm')) as { getThreadsCount?: () => number };
    return { simd, threads: wasm.getThreadsCount?.() ?? 1 };
  }
  if (c.name === 'cpu') return { simd: null, threads: 1 };
  if (c.name === 'tensorflow' && !browser) {
    const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
    return { simd: null, threads: nav?.hardwareConcurrency ?? 0 };
  }
  return { simd: null, threads: 0 };
}

function silenceCpuNodeBanner(): void {
  // tfjs-backend-cpu prints "Hi, looks like you are running TensorFlow.js in Node.js" on first
  // use; wmkit chooses its backend deliberately and reports the choice in `wmkit info`.
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}

function parseForced(value: string | undefined, source: string): BackendName | null {
  if (value == null || value === '' || value === 'auto') return null;
  const v = value.trim().toLowerCase() as BackendName;
  if (!BACKEND_NAMES.includes(v)) {
    throw new BackendUnavailableError(
      `${source}='${value}' is not a backend; use one of ${BACKEND_NAMES.join(', ')} (or leave it unset for the fastest available).`,
    );
  }
  return v;
}

let current: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;
let pendingKey = '';

/** The backend chosen by the last `initBackend`, or null before the first call. */
export function backendInfo(): BackendInfo | null {
  return current;
}

/**
 * Chooses, loads and activates a TensorFlow.js backend; idempotent for the same request.
 * @param preference 'auto' (default) for the fastest available, or a backend to force.
 */
export function initBackend(preference: BackendName | 'auto' = 'auto', options: InitBackendOptions = {}): Promise<BackendInfo> {
  const env = options.env ?? (isNode() ? (globalThis as { process: { env: Record<string, string | undefined> } }).process.env : {});
  let forced: BackendName | null;
  let chosenBy: BackendInfo['chosenBy'];
  try {
    const fromEnv = parseForced(env.WMKIT_BACKEND, 'WMKIT_BACKEND');
    forced = fromEnv ?? parseForced(preference, 'initBackend: preference');
    chosenBy = fromEnv ? 'WMKIT_BACKEND' : forced ? 'argument' : 'default';
  } catch (err) {
    return Promise.reject(err);
  }
  const key = `${forced ?? 'auto'}:${chosenBy}`;
  if (pending && pendingKey === key && !options.importModule) return pending;
  pendingKey = key;
  pending = select(forced, chosenBy, options, env).then(
    (info) => {
      current = info;
      return info;
    },
    (err) => {
      pending = null;
      pendingKey = '';
      throw err;
    },
  );
  return pending;
}

async function select(
  forced: BackendName | null,
  chosenBy: BackendInfo['chosenBy'],
  options: InitBackendOptions,
  env: Record<string, string | undefined>,
): Promise<BackendInfo> {
  const browser = !isNode();
  const order = browser ? BROWSER_ORDER : NODE_ORDER;
  // A forced backend from the other platform (webgl in Node) is still "tried" so the error says why.
  const pool = !forced || order.some((c) => c.name === forced) ? order : browser ? NODE_ORDER : BROWSER_ORDER;
  const candidates = forced ? pool.filter((c) => c.name === forced) : pool;
  const skipped: BackendAttempt[] = [];
  for (const c of candidates) {
    const reason = await tryCandidate(c, browser, options.importModule);
    if (reason != null) {
      skipped.push({ name: c.name, package: c.package, reason });
      continue;
    }
    silenceCpuNodeBanner();
    await initKernels(); // wmkit's own wasm kernels, compiled once (async: works on a browser's main thread)
    const patches: string[] = [];
    if (c.name === 'wasm' && !env.WMKIT_WASM_STOCK_KERNELS) {
      useFastWasmKernels();
      patches.push('Slice, Unpack, SplitV read the heap without copying the whole input');
    }
    return {
      name: c.name,
      package: c.package,
      platform: browser ? 'browser' : 'node',
      device: c.device,
      ...(await describe(c, browser)),
      chosenBy,
      patches,
      skipped,
      tfjsVersion: tf.version_core,
    };
  }
  const source = chosenBy === 'WMKIT_BACKEND' ? `WMKIT_BACKEND=${forced}` : `initBackend('${forced ?? 'auto'}')`;
  const tried = skipped.map((s) => `${s.package}: ${s.reason}`).join('; ');
  const hints = [
    ...new Set(skipped.filter((s) => INSTALL_HINT[s.package] && !/only in/.test(s.reason)).map((s) => INSTALL_HINT[s.package])),
  ];
  const fix = hints.length ? ` To use it: ${hints.join(', or ')}.` : '';
  const alt = forced
    ? ` Or unset ${chosenBy === 'WMKIT_BACKEND' ? 'WMKIT_BACKEND' : 'the preference'} to use the fastest available backend.`
    : '';
  throw new BackendUnavailableError(`${source}: backend '${forced ?? 'any'}' is not available (${tried}).${fix}${alt}`);
}
