import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readNpz, readTorchStateDict, TorchFormatError } from './torch-state-dict';

// written by torch.save / np.savez (test/fixtures/kurtkaya-authors/make.py): weights sin(0.37·i + k)·0.3
const dir = join(__dirname, '../test/fixtures/kurtkaya-authors/results_finetune/lr0.1_delay_0.06');
const formula = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 0.37 + k) * 0.3));

describe('PyTorch state dicts and .npz archives', () => {
  it("reads torch.save's state dict: every tensor's name, shape and values", () => {
    const sd = readTorchStateDict(readFileSync(join(dir, 'process_0/model_final.pt')), 'model_final.pt');
    expect(Object.keys(sd)).toEqual(['W_in.weight', 'W_in.bias', 'W_rec.weight', 'W_rec.bias', 'W_out.weight', 'W_out.bias']);
    expect(sd['W_rec.weight'].shape).toEqual([100, 100]);
    expect(sd['W_in.weight'].shape).toEqual([100, 2]);
    expect(sd['W_out.bias'].dtype).toBe('float32');
    const k = { 'W_in.weight': 1, 'W_in.bias': 2, 'W_rec.weight': 3, 'W_rec.bias': 4, 'W_out.weight': 5, 'W_out.bias': 6 } as const;
    for (const [name, kk] of Object.entries(k)) {
      const t = sd[name];
      const want = formula(t.data.length, kk);
      for (let i = 0; i < want.length; i++) expect(Math.abs((t.data[i] as number) - want[i])).toBeLessThan(1e-6);
    }
    // the second network is the first scaled by 1.1
    const sd1 = readTorchStateDict(readFileSync(join(dir, 'process_1/model_final.pt')));
    expect(sd1['W_rec.weight'].data[7] as number).toBeCloseTo(1.1 * (sd['W_rec.weight'].data[7] as number), 6);
  });

  it("reads np.savez's training details", () => {
    const z = readNpz(readFileSync(join(dir, 'process_0/training_details.npz')));
    expect(Object.keys(z).sort()).toEqual(['W_rec_grad_list', 'loss_list', 'reaction_accuracy_list', 'reaction_reliability_list']);
    expect(z.loss_list.shape).toEqual([1000]);
    expect(z.loss_list.data[0]).toBe(1);
    expect(z.loss_list.data[999]).toBeCloseTo(0.01, 12);
  });

  it('refuses what is not a state dict, naming the file and the problem', () => {
    expect(() => readTorchStateDict(new Uint8Array([1, 2, 3]), 'x.pt')).toThrow(TorchFormatError);
    expect(() => readTorchStateDict(new Uint8Array([1, 2, 3]), 'x.pt')).toThrow(/^x\.pt: not a zip archive/);
    const noPkl = zipSync({ 'a/version': new TextEncoder().encode('3\n') });
    expect(() => readTorchStateDict(noPkl, 'y.pt')).toThrow(/y\.pt: no data\.pkl in the archive/);
    // a pickle that builds an arbitrary object (opcode INST, 'i') is refused, not run
    const evil = zipSync({ 'a/data.pkl': new Uint8Array([0x80, 0x02, 0x69, 0x2e]) });
    expect(() => readTorchStateDict(evil, 'z.pt')).toThrow(
      /z\.pt \(a\/data\.pkl\): pickle opcode 0x69 at byte 2 is not part of a state dict/,
    );
  });
});
