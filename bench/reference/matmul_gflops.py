"""NumPy reference for the matmul benchmark and the machine's measured peak: float32 GFLOP/s of
a @ b (square, C-contiguous, preallocated output via out=; `--form alloc`: a new result
array per product, as before the audit).

Choices (audit, 2026-12-04): float32 on both sides; threads = WMKIT_BENCH_THREADS (1 or all
cores, set before NumPy loads OpenBLAS; see peer_env.py); warm-up one product; median of 7.
`--peak` adds n = 2048 (large enough to run at the BLAS kernel's peak): the "physical limit"
row. The BLAS library and kernel that ran are reported (threadpoolctl).
usage: matmul_gflops.py [--form out|alloc] [--peak] N...   → JSON {"n256": FLOP/s, …, "blas": "…"}"""
import sys

from peer_env import THREADS, blas, form

import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

FORM = form(sys.argv, ["out", "alloc"], "out")
sizes = [int(a) for a in sys.argv[1:] if a != "--peak"] + ([2048] if "--peak" in sys.argv else [])
out = {}
for n in sizes:
    rng = np.random.default_rng(n)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    c = np.empty((n, n), dtype=np.float32)
    np.matmul(a, b, out=c)
    ts = []
    for _ in range(7 if n < 2048 else 5):
        t0 = time.perf_counter()
        if FORM == "alloc":  # the reference before the audit
            a @ b
        else:
            np.matmul(a, b, out=c)
        ts.append(time.perf_counter() - t0)
    out[f"n{n}"] = 2 * n**3 / sorted(ts)[len(ts) // 2]
out["threads"] = THREADS
out["blas"] = blas()
out["numpy"] = np.__version__
print(json.dumps(out))
