"""Thread settings shared by every reference script; import it before numpy or torch.

The harness runs each reference at 1 thread and at all cores: it sets WMKIT_BENCH_THREADS and
the BLAS/OpenMP thread variables (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS) in the
reference's environment, and removes OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE there (they pin
OpenBLAS to a slower kernel). A script run by hand gets 1 thread unless told otherwise.
`blas()` names the BLAS library and kernel that actually ran (threadpoolctl, where installed).
The PyTorch references call `torch_openmp()` (their best form on more than one thread).
"""
import os

THREADS = int(os.environ.get("WMKIT_BENCH_THREADS", "1"))
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, str(THREADS))


def torch_openmp():
    """Call before `import torch`: on more than one thread, OMP_WAIT_POLICY=PASSIVE (unless set)
    and OpenBLAS on one thread, PyTorch's own (OpenMP) threads taking the cores.

    PyTorch here (Debian's 1.13, OpenMP backend, BLAS_INFO=generic: OpenBLAS with pthreads) runs
    its element-wise ops on libgomp threads and its products on OpenBLAS's own pool. With both
    pools on 2 threads and libgomp's default (active) wait policy, libgomp's worker spins between
    parallel regions and OpenBLAS's between calls: three busy threads on two cores, and each
    product waits for a worker pushed off its core. In one run of the dense RNN step (10 steps,
    load ~12) the libgomp worker burnt 5.0 CPU s (the same worker: 0.02 s with PASSIVE) and a
    step took 1.8–11 s against 0.17–0.26 s on one thread. The fastest 2-thread form measured here
    (interleaved rounds, bench/README.md, session 6) is PASSIVE with OpenBLAS on one thread:
    the PyTorch documentation's advice against nested thread pools (one pool per core).
    """
    if THREADS > 1:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        os.environ["OPENBLAS_NUM_THREADS"] = "1"


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


def _openblas_by_ctypes():
    """The kernel and threads of the OpenBLAS loaded in this process, asked through its own API."""
    import ctypes

    try:
        libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "openblas" in line.lower()})
    except OSError:
        return ""
    out = []
    for path in libs:
        lib = ctypes.CDLL(path)
        for prefix, suffix in (("openblas_", ""), ("scipy_openblas_", "64_"), ("openblas_", "64_")):
            try:
                core = getattr(lib, f"{prefix}get_corename{suffix}")
                threads = getattr(lib, f"{prefix}get_num_threads{suffix}")
            except AttributeError:
                continue
            core.restype = ctypes.c_char_p
            out.append(f"openblas {core().decode()} ×{threads()} ({path.rsplit('/', 1)[-1]})")
            break
    return ", ".join(out)


def blas():
    """The BLAS libraries loaded so far and the kernel each picked: 'openblas 0.3.21 Zen ×1, …'
    (threadpoolctl where installed, else OpenBLAS's own API through ctypes)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return _openblas_by_ctypes()
    return ", ".join(
        f"{i.get('internal_api')} {i.get('version') or ''} {i.get('architecture') or ''} ×{i.get('num_threads')}".replace("  ", " ")
        for i in threadpool_info()
    )
