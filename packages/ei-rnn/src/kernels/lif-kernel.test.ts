import { StructLayout } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { LIF_LAYOUT, lifKernels } from './lif-kernel';

// The binding's description of the C struct is checked field by field against the offsets the C
// compiler exported: two swapped fields of the same type (same total size) must not pass.
describe('lif_args: TypeScript layout against the compiled C struct', () => {
  const compiled = lifKernels().layoutOf('lif_args');

  it('matches field by field', () => {
    expect(compiled.names).toEqual(LIF_LAYOUT.fields.map(([n]) => n));
    expect(() => LIF_LAYOUT.verify(compiled)).not.toThrow();
  });

  it("a layout with 'threshold' and 'reset' swapped fails, naming the field", () => {
    const fields = [...LIF_LAYOUT.fields];
    const i = fields.findIndex(([n]) => n === 'threshold');
    const j = fields.findIndex(([n]) => n === 'reset');
    [fields[i], fields[j]] = [fields[j] as (typeof fields)[number], fields[i] as (typeof fields)[number]];
    const swapped = new StructLayout('lif_args', fields);
    expect(swapped.bytes).toBe(LIF_LAYOUT.bytes);
    expect(() => swapped.verify(compiled)).toThrow(/field 'reset' is at byte \d+ in the binding but at \d+ in C/);
  });

  it('a field the C struct lacks, or one missing from the binding, fails', () => {
    expect(() => new StructLayout('lif_args', [...LIF_LAYOUT.fields, ['extra' as never, 'i32']]).verify(compiled)).toThrow(
      /field 'extra' is not in the C struct/,
    );
    expect(() => new StructLayout('lif_args', LIF_LAYOUT.fields.slice(1)).verify(compiled)).toThrow(/the C struct has a field/);
  });
});
