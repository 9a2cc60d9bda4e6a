import { StructLayout } from '@wmkit/tensor';
import { describe, expect, it } from 'vitest';
import { RING_LAYOUT, ringKernels } from './ring-kernel';

// The binding's description of the C struct is checked field by field against the offsets the C
// compiler exported: two swapped fields of the same type (same total size) must not pass.
describe('ring_args: TypeScript layout against the compiled C struct', () => {
  const compiled = ringKernels().layoutOf('ring_args');

  it('matches field by field', () => {
    expect(compiled.names).toEqual(RING_LAYOUT.fields.map(([n]) => n));
    expect(() => RING_LAYOUT.verify(compiled)).not.toThrow();
  });

  it("a layout with 'sigE' and 'sigI' swapped fails, naming the field", () => {
    const fields = [...RING_LAYOUT.fields];
    const i = fields.findIndex(([n]) => n === 'sigE');
    const j = fields.findIndex(([n]) => n === 'sigI');
    [fields[i], fields[j]] = [fields[j] as (typeof fields)[number], fields[i] as (typeof fields)[number]];
    const swapped = new StructLayout('ring_args', fields);
    expect(swapped.bytes).toBe(RING_LAYOUT.bytes);
    expect(() => swapped.verify(compiled)).toThrow(/field 'sigI' is at byte \d+ in the binding but at \d+ in C/);
  });

  it('a field the C struct lacks, or one missing from the binding, fails', () => {
    expect(() => new StructLayout('ring_args', [...RING_LAYOUT.fields, ['extra' as never, 'i32']]).verify(compiled)).toThrow(
      /field 'extra' is not in the C struct/,
    );
    expect(() => new StructLayout('ring_args', RING_LAYOUT.fields.slice(1)).verify(compiled)).toThrow(/the C struct has a field/);
  });
});
