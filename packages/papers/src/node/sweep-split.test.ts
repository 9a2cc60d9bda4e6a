import { describe, expect, it } from 'vitest';
import { sweepSplit } from './sweep-split';

describe('sweepSplit', () => {
  it('one worker per free core, at most one per run; the kernel threads shared among them', () => {
    expect(sweepSplit({ runs: 8, cores: 2, threads: 2, others: 0 })).toEqual({
      workers: 2,
      kernelThreads: 1,
      reason: '2 workers × 1 kernel thread (2 cores, none busy)',
    });
    expect(sweepSplit({ runs: 1, cores: 2, threads: 2, others: 0 })).toMatchObject({ workers: 1, kernelThreads: 2 });
    expect(sweepSplit({ runs: 3, cores: 16, threads: 16, others: null })).toEqual({
      workers: 3,
      kernelThreads: 5,
      reason: '3 workers × 5 kernel threads (16 cores, 3 runs)',
    });
    // --threads 1 (or WMKIT_THREADS=1) on 4 cores: 4 workers, each with one kernel thread
    expect(sweepSplit({ runs: 10, cores: 4, threads: 1, others: 0 })).toMatchObject({ workers: 4, kernelThreads: 1 });
  });

  it('cores other programs keep busy get no worker; always at least one', () => {
    expect(sweepSplit({ runs: 8, cores: 2, threads: 2, others: 13 })).toEqual({
      workers: 1,
      kernelThreads: 2,
      reason: '1 worker × 2 kernel threads (13 other threads running on 2 cores)',
    });
    expect(sweepSplit({ runs: 8, cores: 2, threads: 2, others: 1 })).toMatchObject({ workers: 1, kernelThreads: 2 });
    expect(sweepSplit({ runs: 20, cores: 16, threads: 16, others: 4 })).toMatchObject({ workers: 12, kernelThreads: 1 });
  });

  it('--workers wins whatever the load, at most one per run', () => {
    expect(sweepSplit({ runs: 8, cores: 2, threads: 2, others: 13, workers: 2 })).toEqual({
      workers: 2,
      kernelThreads: 1,
      reason: '2 workers × 1 kernel thread (--workers 2)',
    });
    expect(sweepSplit({ runs: 2, cores: 2, threads: 8, workers: 6 })).toMatchObject({ workers: 2, kernelThreads: 4 });
  });
});
