/**
 * Reads a PyTorch `torch.save(model.state_dict(), f)` file (the zip format of torch ≥ 1.6) and
 * NumPy `.npz` archives, without Python: the published networks of Kurtkaya et al. 2025 are
 * stored this way (`model_final.pt`, `training_details.npz`; docs/models/stm-rnn.md §Loading the
 * authors' networks).
 *
 * A `.pt` file is a zip holding `<name>/data.pkl` (a pickle of an ordered dict of tensors whose
 * storages are "persistent ids") and one raw little-endian file per storage, `<name>/data/<key>`.
 * No JavaScript library reads pickles, so the small subset of the pickle protocol (2) that a
 * state dict uses is interpreted here by hand; anything else (arbitrary objects, which a pickle
 * could run as code) is refused with an error naming the file and the opcode.
 */

import { UserError } from '@wmkit/tensor';
import { unzipSync } from 'fflate';
import { decodeNpy, type NpyArray } from './npy';

/** A file that is not a state dict or an .npz this reader understands; the message names the file and the problem. */
export class TorchFormatError extends UserError {
  override name = 'TorchFormatError';
}

/** One tensor of a state dict: its dtype, shape and values (row-major). */
export interface TorchTensor {
  dtype: 'float32' | 'float64' | 'int64';
  shape: number[];
  data: Float32Array | Float64Array | BigInt64Array;
}

const STORAGE: Record<string, { dtype: TorchTensor['dtype']; bytes: number }> = {
  FloatStorage: { dtype: 'float32', bytes: 4 },
  DoubleStorage: { dtype: 'float64', bytes: 8 },
  LongStorage: { dtype: 'int64', bytes: 8 },
};

type Global = { global: string };
type Persistent = { storage: string; key: string };
type Reduced = { call: string; args: unknown[] };

function unzip(bytes: Uint8Array, source: string): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes);
  } catch (err) {
    throw new TorchFormatError(
      `${source}: not a zip archive (${(err as Error).message}); save it with torch.save (torch ≥ 1.6) or np.savez`,
    );
  }
}

/** The tensors of a PyTorch state dict saved by `torch.save`, by name. */
export function readTorchStateDict(bytes: Uint8Array, source = 'state dict'): Record<string, TorchTensor> {
  const files = unzip(bytes, source);
  const pkl = Object.keys(files).find((f) => f.endsWith('/data.pkl') || f === 'data.pkl');
  if (!pkl) throw new TorchFormatError(`${source}: no data.pkl in the archive; not a torch.save file`);
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const root = unpickle(files[pkl], `${source} (${pkl})`);
  const dict = root instanceof Map ? root : null;
  if (!dict)
    throw new TorchFormatError(`${source}: the pickle holds no dict of tensors (a whole model was saved?); save model.state_dict()`);
  const out: Record<string, TorchTensor> = {};
  for (const [name, v] of dict) {
    const r = v as Reduced;
    if (r?.call !== 'torch._utils._rebuild_tensor_v2')
      throw new TorchFormatError(`${source}: entry '${String(name)}' is not a tensor (${r?.call ?? typeof v})`);
    const [st, offset, size, stride] = r.args as [Persistent, number, number[], number[]];
    const kind = STORAGE[st.storage];
    if (!kind)
      throw new TorchFormatError(`${source}: tensor '${String(name)}' has storage ${st.storage}; only float32, float64 and int64 are read`);
    const raw = files[`${prefix}data/${st.key}`];
    if (!raw) throw new TorchFormatError(`${source}: storage ${st.key} of '${String(name)}' is missing from the archive`);
    const n = size.reduce((a, b) => a * b, 1);
    // contiguous row-major tensors only (what state dicts hold); a view with other strides is refused
    let expect = 1;
    for (let d = size.length - 1; d >= 0; d--) {
      if (size[d] > 1 && stride[d] !== expect)
        throw new TorchFormatError(
          `${source}: tensor '${String(name)}' is not contiguous (strides ${stride.join(', ')}); save it .contiguous()`,
        );
      expect *= size[d];
    }
    const buf = raw.slice(offset * kind.bytes, (offset + n) * kind.bytes).buffer;
    const data =
      kind.dtype === 'float32' ? new Float32Array(buf) : kind.dtype === 'float64' ? new Float64Array(buf) : new BigInt64Array(buf);
    out[String(name)] = { dtype: kind.dtype, shape: size, data };
  }
  return out;
}

/** The arrays of a NumPy `.npz` archive (`np.savez`, also compressed), by name without `.npy`. */
export function readNpz(bytes: Uint8Array, source = 'npz'): Record<string, NpyArray> {
  const files = unzip(bytes, source);
  const out: Record<string, NpyArray> = {};
  for (const [f, b] of Object.entries(files)) if (f.endsWith('.npy')) out[f.slice(0, -4)] = decodeNpy(b, `${source} (${f})`);
  return out;
}

/**
 * The pickle opcodes a state dict uses (protocol 2; Python's `pickletools` documents each).
 * Globals become `{ global }`, REDUCE of a global `{ call, args }`, persistent ids of storages
 * `{ storage, key }`, dicts `Map`s; any other opcode is an error.
 */
function unpickle(b: Uint8Array, source: string): unknown {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const text = new TextDecoder();
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let i = 0;
  const popMark = () => {
    const m = marks.pop();
    if (m === undefined) throw new TorchFormatError(`${source}: malformed pickle (no MARK)`);
    return stack.splice(m);
  };
  const str = (n: number) => {
    const s = text.decode(b.subarray(i, i + n));
    i += n;
    return s;
  };
  const line = () => {
    const e = b.indexOf(10, i);
    const s = text.decode(b.subarray(i, e));
    i = e + 1;
    return s;
  };
  while (i < b.length) {
    const op = b[i++];
    switch (op) {
      case 0x80: // PROTO
        i++;
        break;
      case 0x95: // FRAME
        i += 8;
        break;
      case 0x63: // GLOBAL module\nname\n
        stack.push({ global: `${line()}.${line()}` } satisfies Global);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push(stack.splice(-1));
        break;
      case 0x86: // TUPLE2
        stack.push(stack.splice(-2));
        break;
      case 0x87: // TUPLE3
        stack.push(stack.splice(-3));
        break;
      case 0x71: // BINPUT
        memo.set(b[i++], stack.at(-1));
        break;
      case 0x72: // LONG_BINPUT
        memo.set(view.getUint32(i, true), stack.at(-1));
        i += 4;
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, stack.at(-1));
        break;
      case 0x68: // BINGET
        stack.push(memo.get(b[i++]));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memo.get(view.getUint32(i, true)));
        i += 4;
        break;
      case 0x58: // BINUNICODE
        {
          const n = view.getUint32(i, true);
          i += 4;
          stack.push(str(n));
        }
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(str(b[i++]));
        break;
      case 0x4b: // BININT1
        stack.push(b[i++]);
        break;
      case 0x4d: // BININT2
        stack.push(view.getUint16(i, true));
        i += 2;
        break;
      case 0x4a: // BININT
        stack.push(view.getInt32(i, true));
        i += 4;
        break;
      case 0x8a: // LONG1
        {
          const n = b[i++];
          let v = 0n;
          for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[i + k]);
          if (n && b[i + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
          i += n;
          stack.push(Number(v));
        }
        break;
      case 0x47: // BINFLOAT (big-endian)
        stack.push(view.getFloat64(i, false));
        i += 8;
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x51: // BINPERSID: ('storage', <storage global>, key, location, numel)
        {
          const pid = stack.pop() as unknown[];
          const cls = (pid?.[1] as Global | undefined)?.global ?? '';
          stack.push({ storage: cls.split('.').at(-1) ?? cls, key: String(pid?.[2]) } satisfies Persistent);
        }
        break;
      case 0x52: // REDUCE
        {
          const args = stack.pop() as unknown[];
          const fn = stack.pop() as Global;
          if (fn?.global === 'collections.OrderedDict') stack.push(new Map());
          else stack.push({ call: fn?.global, args } satisfies Reduced);
        }
        break;
      case 0x62: // BUILD (state of an object: an OrderedDict's metadata, ignored)
        stack.pop();
        break;
      case 0x73: // SETITEM
        {
          const v = stack.pop();
          const k = stack.pop();
          (stack.at(-1) as Map<unknown, unknown>).set(k, v);
        }
        break;
      case 0x75: // SETITEMS
        {
          const items = popMark();
          const d = stack.at(-1) as Map<unknown, unknown>;
          for (let k = 0; k < items.length; k += 2) d.set(items[k], items[k + 1]);
        }
        break;
      case 0x61: // APPEND
        {
          const v = stack.pop();
          (stack.at(-1) as unknown[]).push(v);
        }
        break;
      case 0x65: // APPENDS
        {
          const items = popMark();
          (stack.at(-1) as unknown[]).push(...items);
        }
        break;
      case 0x2e: // STOP
        return stack.pop();
      default:
        throw new TorchFormatError(
          `${source}: pickle opcode 0x${op.toString(16)} at byte ${i - 1} is not part of a state dict; save model.state_dict()`,
        );
    }
  }
  throw new TorchFormatError(`${source}: the pickle ends without STOP (truncated file?)`);
}
