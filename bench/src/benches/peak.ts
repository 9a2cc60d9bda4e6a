import { ALL_CORES, type Bench, machinePeak } from '../harness';

/**
 * The physical limit: float32 GFLOP/s of a large matrix product (2048², NumPy on OpenBLAS) on one
 * thread and on all cores, the most arithmetic this machine does per second in practice. The
 * rnn-train and matmul rows are read against it.
 */
export const peakBench: Bench = {
  name: 'peak',
  description: `measured peak float32 FLOP/s of this machine (NumPy/OpenBLAS sgemm 2048², 1 thread and ${ALL_CORES})`,
  async run(ctx) {
    const peak = await machinePeak(ctx);
    return [
      {
        bench: 'peak',
        case: 'physical limit: sgemm 2048² (the machine, not wmkit)',
        unit: 'FLOP/s',
        better: 'higher',
        peer:
          peak.one == null
            ? undefined
            : {
                name: peak.blas ? `NumPy (${peak.blas})` : 'NumPy/BLAS',
                value: peak.one,
                ...(peak.all != null ? { valueAll: peak.all } : {}),
              },
        note: peak.one == null ? `NumPy ${peak.reason}` : undefined,
      },
    ];
  },
};
