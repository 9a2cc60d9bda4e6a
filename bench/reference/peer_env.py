"""Thread settings shared by every reference script; import it before numpy or torch.

The harness runs each reference at 1 thread and at all cores: it sets WMKIT_BENCH_THREADS and
the BLAS/OpenMP thread variables (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS) in the
reference's environment, and removes OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE there (they pin
OpenBLAS to a slower kernel). A script run by hand gets 1 thread unless told otherwise.
`blas()` names the BLAS library and kernel that actually ran (threadpoolctl, where installed).
"""
import os

THREADS = int(os.environ.get("WMKIT_BENCH_THREADS", "1"))
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, str(THREADS))


def form(argv, choices, default):
    """`--form NAME` anywhere in argv (removed from it); `default` when absent."""
    if "--form" in argv:
        i = argv.index("--form")
        name = argv[i + 1]
        del argv[i : i + 2]
        if name not in choices:
            raise SystemExit(f"unknown --form {name!r}; choose one of {', '.join(choices)}")
        return name
    return default


def blas():
    """The BLAS libraries loaded so far: 'openblas 0.3.21 Haswell ×1, …' (empty without threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # NumPy ≥ 1.25 knows which BLAS it was built with (not the kernel it picked)
        try:
            import numpy as np

            b = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
            return f"{b.get('name', '')} {b.get('version', '')} (built with; threadpoolctl not installed)"
        except Exception:
            return ""
    return ", ".join(
        f"{i.get('internal_api')} {i.get('version') or ''} {i.get('architecture') or ''} ×{i.get('num_threads')}".replace("  ", " ")
        for i in threadpool_info()
    )
