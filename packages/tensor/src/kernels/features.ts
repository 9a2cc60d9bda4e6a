/**
 * Which form of a kernel module this runtime runs: relaxed SIMD (`f32x4.relaxed_madd`, a fused
 * multiply-add in the packed GEMM; Chromium ≥ 114, Node ≥ 22, and Node 20/21, where it sits
 * behind V8's `--experimental-wasm-relaxed-simd`: the kernels turn that flag on themselves, see
 * `runtimeHasRelaxedSimd`) where the runtime validates it, plain SIMD128 otherwise; and on how
 * many threads (./threads.ts).
 *
 * Relaxed SIMD leaves the rounding of a fused multiply-add to the hardware (one rounding where the
 * CPU has FMA, two where it has not), so products computed with it can differ in the last bits
 * from the plain form's and between machines; on one machine they are the same on every run and
 * for any number of threads. `WMKIT_RELAXED_SIMD=0` (or `setRelaxedSimd(false)`) keeps the plain
 * form, whose results are bit-identical on every engine.
 */
import { UserError } from '../errors';
import { kernelThreadSupport, kernelThreads } from './threads';

/**
 * The smallest module that uses `f32x4.relaxed_madd` (opcode 0xfd 0x105): a function returning
 * relaxed_madd of three zero vectors. `WebAssembly.validate` accepts it only where relaxed SIMD is on.
 */
const RELAXED_PROBE = (() => {
  const zero = [0xfd, 0x0c, ...new Array(16).fill(0)]; // v128.const 0
  const body = [0x00, ...zero, ...zero, ...zero, 0xfd, 0x85, 0x02, 0x0b]; // no locals … f32x4.relaxed_madd, end
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b], // type section: () → v128
    ...[0x03, 0x02, 0x01, 0x00], // function section: one function of type 0
    ...[0x0a, body.length + 2, 0x01, body.length, ...body], // code section
  ]);
})();

/** Whether relaxed SIMD is used, and if not, why. */
export interface RelaxedSimdSupport {
  /** True where the runtime validates relaxed SIMD and it is not switched off. */
  ok: boolean;
  /** Why not, when `ok` is false. */
  reason?: string;
}

let configured: boolean | null = null;
let validates: boolean | null = null;

function probeValidates(): boolean {
  try {
    return WebAssembly.validate(RELAXED_PROBE as BufferSource);
  } catch {
    return false;
  }
}

/**
 * Node 20 and 21 have relaxed SIMD behind `--experimental-wasm-relaxed-simd`. V8 reads its wasm
 * feature flags when it validates or compiles a module, so setting the flag at run time (node:v8
 * `setFlagsFromString`) before the kernels compile turns it on for this process: the main thread
 * and every worker thread (V8's flags are per process). Returns false outside Node.
 */
function enableRelaxedSimdFlag(): boolean {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return false; // a browser: nothing to switch
  try {
    const v8 = proc.getBuiltinModule('node:v8') as { setFlagsFromString?: (flags: string) => void } | undefined;
    if (typeof v8?.setFlagsFromString !== 'function') return false;
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the runtime validates relaxed-SIMD code (the probe above). In Node versions that have
 * relaxed SIMD behind a flag, the first call turns the flag on (`--experimental-wasm-relaxed-simd`,
 * as if given on the command line) and validates again; `WMKIT_RELAXED_SIMD=0` or
 * `setRelaxedSimd(false)` before the first kernel call leaves the flag alone.
 */
export function runtimeHasRelaxedSimd(): boolean {
  validates ??= probeValidates() || (enableRelaxedSimdFlag() && probeValidates());
  return validates;
}

function envSetting(): boolean | null {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.WMKIT_RELAXED_SIMD;
  if (v == null || v === '') return null;
  if (v === '0' || v === '1') return v === '1';
  throw new UserError(`WMKIT_RELAXED_SIMD must be 0 or 1, got '${v}' (leave it unset to use relaxed SIMD where the runtime has it)`);
}

/**
 * Whether the kernels use their relaxed-SIMD form: `setRelaxedSimd`, else `WMKIT_RELAXED_SIMD`,
 * else on where the runtime validates it. Decided for each module when it is first used.
 */
export function relaxedSimdSupport(): RelaxedSimdSupport {
  const wanted = configured ?? envSetting();
  if (wanted === false) return { ok: false, reason: 'switched off (WMKIT_RELAXED_SIMD=0 or setRelaxedSimd(false))' };
  if (!runtimeHasRelaxedSimd())
    return { ok: false, reason: 'this runtime does not validate relaxed SIMD (Chromium ≥ 114 and Node ≥ 20 do)' };
  return { ok: true };
}

/**
 * Allows (`true`, the default where the runtime has it) or forbids (`false`) the relaxed-SIMD
 * form; `null`: back to `WMKIT_RELAXED_SIMD` and the default. Affects modules first used afterwards.
 */
export function setRelaxedSimd(on: boolean | null): void {
  configured = on;
}

/** What the kernels run on, as recorded beside a run's backend. */
export interface KernelInfo {
  /** Threads a kernel call may use (1 where the runtime has no threads). */
  threads: number;
  /** 'relaxed-simd' (fused multiply-adds in the packed GEMM) or 'simd128'. */
  simd: 'relaxed-simd' | 'simd128';
  /** Why the kernels run on one thread, where they do although more were asked for. */
  threadsNote?: string;
}

/** The thread count and SIMD form that kernel modules instantiated now would use. */
export function kernelInfo(): KernelInfo {
  const support = kernelThreadSupport();
  const asked = kernelThreads();
  const info: KernelInfo = {
    threads: support.ok ? asked : 1,
    simd: relaxedSimdSupport().ok ? 'relaxed-simd' : 'simd128',
  };
  if (!support.ok && asked > 1) info.threadsNote = support.reason;
  return info;
}
