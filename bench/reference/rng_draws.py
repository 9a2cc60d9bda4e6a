"""NumPy reference for the Rng benchmark: draws per second of numpy.random.Generator (PCG64),
float32 where NumPy has it.

Choices (audit, 2026-12-04):
- Draws go into a preallocated float32 array (out=), as wmkit's fillNormal/fillUniform fill one;
  the old script allocated a new array per call (`--form alloc`, one thread). Bernoulli and Poisson return new float32 arrays
  on both sides (wmkit's bernoulli/poisson allocate theirs).
- Threads: one Generator is sequential. The all-cores run (WMKIT_BENCH_THREADS > 1) fills one
  array from independent streams (SeedSequence.spawn), one chunk per thread, the pattern of
  NumPy's "Multithreaded generation" guide (the filling methods release the GIL); Bernoulli and
  Poisson stay on one thread.
- Warm-up: one call; reported: the median of 5 calls.
usage: rng_draws.py [--form out|alloc] N   → JSON with draws/s per distribution"""
import sys

from peer_env import THREADS, form

import json  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

import numpy as np  # noqa: E402

FORM = form(sys.argv, ["out", "alloc"], "out")
n = int(sys.argv[1])
g = np.random.default_rng(1)
buf = np.empty(n, dtype=np.float32)
out = {"threads": THREADS, "numpy": np.__version__}
pool = ThreadPoolExecutor(THREADS) if THREADS > 1 else None
gens = [np.random.Generator(np.random.PCG64(s)) for s in np.random.SeedSequence(1).spawn(THREADS)]
bounds = [(k * n // THREADS, (k + 1) * n // THREADS) for k in range(THREADS)]


def fill(method):
    if FORM == "alloc":  # the reference before the audit: a new array per call
        getattr(g, method)(n, dtype=np.float32)
    elif pool is None:
        getattr(g, method)(out=buf, dtype=np.float32)
    else:
        list(pool.map(lambda k: getattr(gens[k], method)(out=buf[bounds[k][0] : bounds[k][1]], dtype=np.float32), range(THREADS)))


def rate(name, fn, count):
    fn()
    ts = []
    for _ in range(5):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    out[name] = count / sorted(ts)[2]


rate("normal", lambda: fill("standard_normal"), n)
rate("uniform", lambda: fill("random"), n)
rate("bernoulli", lambda: (g.random(n, dtype=np.float32) < 1e-3).astype(np.float32), n)
rate("poisson5", lambda: g.poisson(5.0, n // 10).astype(np.float32), n // 10)
rate("poisson50", lambda: g.poisson(50.0, n // 10).astype(np.float32), n // 10)
print(json.dumps(out))
