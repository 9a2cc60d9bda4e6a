import { StructLayout } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { HD_FWD_LAYOUT, hdSnnKernels } from './hdsnn-kernel';

// The binding's description of the C struct is checked field by field against the offsets the C
// compiler exported: two swapped fields of the same type (same total size) must not pass.
describe('hdsnn_fwd_args: TypeScript layout against the compiled C struct', () => {
  const compiled = hdSnnKernels().layoutOf('hdsnn_fwd_args');

  it('matches field by field', () => {
    expect(compiled.names).toEqual(HD_FWD_LAYOUT.fields.map(([n]) => n));
    expect(() => HD_FWD_LAYOUT.verify(compiled)).not.toThrow();
  });

  it("a layout with 'beta' and 'threshold' swapped fails, naming the field", () => {
    const fields = [...HD_FWD_LAYOUT.fields];
    const i = fields.findIndex(([n]) => n === 'beta');
    const j = fields.findIndex(([n]) => n === 'threshold');
    [fields[i], fields[j]] = [fields[j] as (typeof fields)[number], fields[i] as (typeof fields)[number]];
    const swapped = new StructLayout('hdsnn_fwd_args', fields);
    expect(swapped.bytes).toBe(HD_FWD_LAYOUT.bytes);
    expect(() => swapped.verify(compiled)).toThrow(/field 'threshold' is at byte \d+ in the binding but at \d+ in C/);
  });

  it('a field the C struct lacks, or one missing from the binding, fails', () => {
    expect(() => new StructLayout('hdsnn_fwd_args', [...HD_FWD_LAYOUT.fields, ['extra' as never, 'i32']]).verify(compiled)).toThrow(
      /field 'extra' is not in the C struct/,
    );
    expect(() => new StructLayout('hdsnn_fwd_args', HD_FWD_LAYOUT.fields.slice(1)).verify(compiled)).toThrow(/the C struct has a field/);
  });
});

describe('the divergence checks in wasm', () => {
  it('max |w| and the finiteness test agree with their definitions, tails and NaN/±Infinity included', () => {
    const k = hdSnnKernels();
    for (const n of [1, 3, 4, 7, 64, 1001]) {
      const data = Float32Array.from({ length: n }, (_, q) => Math.sin(q * 12.9898) * 7.5 - (q % 3));
      const mark = k.mark();
      try {
        const buf = k.from(data);
        expect(k.hdsnnMaxAbs(buf)).toBe(data.reduce((m, x) => Math.max(m, Math.abs(x)), 0));
        expect(k.hdsnnAllFinite(buf)).toBe(true);
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
          for (const at of [0, n - 1, n >> 1]) {
            const v = buf.view();
            const keep = v[at];
            v[at] = bad;
            expect(k.hdsnnAllFinite(buf)).toBe(false);
            if (Number.isNaN(bad)) expect(k.hdsnnMaxAbs(buf)).toBeNaN();
            else expect(k.hdsnnMaxAbs(buf)).toBe(Number.POSITIVE_INFINITY);
            v[at] = keep;
          }
      } finally {
        k.release(mark);
      }
    }
  });
});
