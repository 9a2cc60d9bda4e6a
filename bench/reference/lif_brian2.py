"""Brian2 reference for the LIF benchmark: Kim et al. 2019's converted network (LIF, τm 10 ms,
2-ms refractory, threshold −40, reset −65, bias −40, voltage noise randn/10 per step,
double-exponential synapses τr 2 ms and per-unit τd), dt 0.05 ms, with the weights and decay
times wmkit writes, B independent copies (one per trial).

Choices (audit, 2026-12-04):
- `--target cython` (default; Brian2's runtime code generation): compiled by a 1-ms run before
  timing; single-threaded (Brian2's runtime targets have no threads), so its all-cores column
  repeats the 1-thread number.
- `--target cpp_standalone`: the whole simulation compiled to one C++ program (Brian2's fastest
  CPU mode), with OpenMP on WMKIT_BENCH_THREADS threads (none for 1 thread). Timed: the
  simulation loop alone as the program measures it (device._last_run_time), not code generation,
  compilation or synapse creation. Built in a fixed folder per thread count, so a second run
  recompiles nothing.
- Compiler flags: Brian2's defaults (-O3 -ffast-math -march=native).
- `--float32`: every state variable and constant in float32 (prefs.core.default_float_dtype),
  the precision wmkit's LIF kernel computes in; Brian2's default (float64) otherwise.
usage: lif_brian2.py [--target cython|cpp_standalone] [--float32] W.npy TAUD_MS.npy TRIALS DURATION_MS
  → JSON with trial-steps/s"""
import sys

from peer_env import THREADS, form

import json  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

if "--target" in sys.argv:  # the same flag parser as --form
    sys.argv[sys.argv.index("--target")] = "--form"
TARGET = form(sys.argv, ["cython", "cpp_standalone"], "cython")
FLOAT32 = "--float32" in sys.argv
if FLOAT32:
    sys.argv.remove("--float32")

import numpy as np  # noqa: E402
from brian2 import NeuronGroup, SpikeMonitor, Synapses, __version__, defaultclock, device, ms, prefs, run, second, set_device, start_scope  # noqa: E402

if FLOAT32:
    prefs.core.default_float_dtype = np.float32
if TARGET == "cpp_standalone":
    set_device("cpp_standalone", build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = THREADS if THREADS > 1 else 0
else:
    prefs.codegen.target = "cython"
W = np.load(sys.argv[1]).astype(np.float64)  # [post, pre], already × λ
taud = np.load(sys.argv[2]).astype(np.float64) / 1000.0  # s
B = int(sys.argv[3])
duration = float(sys.argv[4]) * ms
N = W.shape[0]
defaultclock.dt = 0.05 * ms

eqs = """
dv/dt = (-v + Isyn - 40 + ext) / (10*ms) : 1 (unless refractory)
dIsyn/dt = -Isyn / td + hh : 1
dhh/dt = -hh / (2*ms) : Hz
td : second
ext : 1
"""


def build():
    start_scope()
    G = NeuronGroup(B * N, eqs, threshold="v >= -40", reset="v = -65", refractory=2 * ms, method="euler")
    G.v = -65 + np.random.rand(B * N) * 95
    G.td = np.tile(taud, B) * second
    G.ext = 0
    G.run_regularly("v += 0.1*randn()", when="before_thresholds")
    post, pre = np.nonzero(W)
    # Kim's LIF_network_fnc.m works in seconds as plain numbers: h += w / (τr·τd) per spike and
    # I += h·dt, with τr, τd, dt in s. With Brian2's units the jump carries one factor of 1 second.
    S = Synapses(G, G, "w : 1", on_pre="hh_post += w * second / (2*ms * td_post)")
    i = np.concatenate([pre + b * N for b in range(B)])
    j = np.concatenate([post + b * N for b in range(B)])
    S.connect(i=i, j=j)
    S.w = np.tile(W[post, pre], B)
    return G, S


G, S = build()
M = SpikeMonitor(G, record=False)
steps = int(round(duration / defaultclock.dt))
if TARGET == "cpp_standalone":
    run(duration)
    folder = os.path.join(tempfile.gettempdir(), f"wmkit-bench-brian2-standalone-{THREADS}")
    device.build(directory=folder, compile=True, run=True, clean=False)
    sec = device._last_run_time
    spikes = int(M.num_spikes)
else:
    run(1 * ms)  # compile
    n0 = int(M.num_spikes)
    t0 = time.perf_counter()
    run(duration)
    sec = time.perf_counter() - t0
    spikes = int(M.num_spikes) - n0
rate = spikes / (B * N * float(duration / second))
print(json.dumps({"seconds": sec, "rate_hz": rate, "trial_steps_per_s": B * steps / sec, "neuron_steps_per_s": B * N * steps / sec, "target": TARGET, "float": "float32" if FLOAT32 else "float64", "threads": THREADS, "brian2": __version__}))
