"""NumPy reference for the Rng benchmark: draws per second of numpy.random.Generator (PCG64)."""
import json
import sys
import time

import numpy as np

n = int(sys.argv[1])
g = np.random.default_rng(1)
out = {}


def rate(name, fn, count):
    fn()
    best = []
    for _ in range(3):
        t0 = time.perf_counter()
        fn()
        best.append(time.perf_counter() - t0)
    out[name] = count / sorted(best)[1]


rate("normal", lambda: g.standard_normal(n, dtype=np.float32), n)
rate("uniform", lambda: g.random(n, dtype=np.float32), n)
rate("bernoulli", lambda: (g.random(n, dtype=np.float32) < 1e-3).astype(np.float32), n)
rate("poisson5", lambda: g.poisson(5.0, n // 10).astype(np.float32), n // 10)
rate("poisson50", lambda: g.poisson(50.0, n // 10).astype(np.float32), n // 10)
print(json.dumps(out))
