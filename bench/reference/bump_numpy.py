"""NumPy reference for the attractor benchmark: the continuous bump model of Wimmer et al. 2014
(Supplementary Code 1: N = 512 E and 512 I units, 2-s delay, 2,100 steps of 2 ms), batched over
trials.

Choices (audit, 2026-12-04):
- `--form same-algorithm` (default) does the work wmkit does: the circulant E→E product through
  the connectivity's significant Fourier modes (rE·Bᵀ·diag(w)·B, B = [1, cos mθ, sin mθ] for the
  modes with |coefficient| ≥ 1e-8 of the mean, as wmkit keeps them), and the inhibitory
  population as its mean (every I unit gets the same input, so their mean obeys the same equation
  with noise sd σ_I/√N_I: exact, not an approximation), in float32, with buffers made once
  (noise drawn into a preallocated array with out=, the transfer function computed in place),
  the decoded angle at every 50-ms bin and the response at the end of the delay.
- `--form authors`: the authors' script batched over trials: dense 512×512 W in float64, every
  I unit simulated, new arrays every step (the reference before the audit).
- Threads: trials are independent, so the all-cores run splits them over WMKIT_BENCH_THREADS
  processes (multiprocessing, fork), each with one BLAS thread (the products are 128×512×21:
  BLAS threads do not pay). Batch: 128 trials per array, as wmkit's kernel.
- Time from the first step to the last trial's end (array set-up included, Python start-up not).
usage: bump_numpy.py [--form same-algorithm|authors] TRIALS BATCH   → JSON with trials/s"""
import os
import sys

from peer_env import THREADS, form

os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = "1"
import json  # noqa: E402
import time  # noqa: E402
from multiprocessing import get_context  # noqa: E402

import numpy as np  # noqa: E402

FORM = form(sys.argv, ["same-algorithm", "authors"], "same-algorithm")
trials, B = int(sys.argv[1]), int(sys.argv[2])
N = NI = 512
dt, tauE, tauI = 2.0, 20.0, 10.0
kappa, GEE, GEI, GIE, GII, I0E, I0I, sigE, sigI = 1.5, 6, 4, 3.4, 0.85, 0.2, 0.5, 1, 3
stim_amp = 200
theta = np.arange(N) / N * 2 * np.pi
stimon, stimoff, delayend = 500, 750, 1750
nsteps = 2100
rec_every = 25


def run_authors(first, count, seed):
    v = np.exp(kappa * np.cos(theta))
    v /= v.sum()
    WE = np.array([np.roll(v, i) for i in range(N)])  # circulant
    f = lambda x: np.where(x <= 0, 0.0, np.where(x < 1, x * x, np.sqrt(np.maximum(4 * x - 3, 1))))  # noqa: E731
    rng = np.random.default_rng(seed)
    cues = np.arange(first, first + count) % 8 * (2 * np.pi / 8)
    done = 0
    while done < count:
        b = min(B, count - done)
        stim = stim_amp * np.exp(kappa * np.cos(theta[None, :] - cues[done : done + b, None]))
        stim /= np.exp(kappa * np.cos(theta)).sum()
        rE = np.zeros((b, N))
        rI = np.zeros((b, N))
        for i in range(1, nsteps + 1):
            IE = GEE * rE @ WE.T + (I0E - GIE * rI.mean(1, keepdims=True))
            II = GEI * rE.mean(1, keepdims=True) - GII * rI.mean(1, keepdims=True) + I0I
            if stimon < i < stimoff:
                IE = IE + stim
            if delayend < i < delayend + (stimoff - stimon):
                IE = IE - stim_amp
            rE = rE + (f(IE) - rE + sigE * rng.standard_normal((b, N))) * dt / tauE
            rI = rI + (f(II) - rI + sigI * rng.standard_normal((b, N))) * dt / tauI
        done += b


def fourier_basis():
    v = np.exp(kappa * np.cos(theta))
    v /= v.sum()
    k = np.arange(N)
    coef = np.array([(v * np.cos(2 * np.pi * m * k / N)).sum() for m in range(N // 2 + 1)]) / N
    coef[1 : N // 2] *= 2
    modes = max(m for m in range(1, N // 2 + 1) if abs(coef[m]) >= 1e-8 * abs(coef[0]))
    rows, w = [np.ones(N)], [coef[0]]
    for m in range(1, modes + 1):
        rows.append(np.cos(m * theta))
        w.append(coef[m])
        if m < N // 2:
            rows.append(np.sin(m * theta))
            w.append(coef[m])
    basis = np.array(rows, dtype=np.float32)
    return np.ascontiguousarray(basis.T), (basis * np.array(w, dtype=np.float32)[:, None]).astype(np.float32)


def run_same(first, count, seed):
    basisT, basisW = fourier_basis()  # [N, nB], [nB, N]
    f32 = np.float32
    kE, kI = f32(dt / tauE), f32(dt / tauI)
    cos_t, sin_t = np.cos(theta).astype(f32), np.sin(theta).astype(f32)
    rng = np.random.default_rng(seed)
    cues = np.arange(first, first + count) % 8 * (2 * np.pi / 8)
    prof = np.exp(kappa * np.cos(theta))
    response = np.empty(count, f32)
    done = 0
    while done < count:
        b = min(B, count - done)
        stim = (stim_amp * np.exp(kappa * np.cos(theta[None, :] - cues[done : done + b, None])) / prof.sum()).astype(f32)
        rE = np.zeros((b, N), f32)
        mI = np.zeros((b, 1), f32)
        proj = np.empty((b, basisT.shape[1]), f32)
        IE, sq, rt, noise = (np.empty((b, N), f32) for _ in range(4))
        nI = np.empty((b, 1), f32)
        angles = np.empty((b, nsteps // rec_every), f32)
        for i in range(1, nsteps + 1):
            np.matmul(rE, basisT, out=proj)
            np.matmul(proj, basisW, out=IE)
            IE *= f32(GEE)
            IE += I0E - GIE * mI - (stim_amp if delayend < i < delayend + (stimoff - stimon) else 0)
            if stimon < i < stimoff:
                IE += stim
            meanE = rE.mean(1, keepdims=True)
            # Brunel transfer: 0 (x ≤ 0), x² (0 < x < 1), √(4x − 3) (x ≥ 1), in place
            np.multiply(IE, IE, out=sq)
            np.multiply(IE, 4, out=rt)
            rt -= 3
            np.maximum(rt, 1, out=rt)
            np.sqrt(rt, out=rt)
            np.copyto(sq, rt, where=IE >= 1)
            sq[IE <= 0] = 0
            rng.standard_normal(out=noise, dtype=f32)
            sq -= rE
            noise *= f32(sigE)
            sq += noise
            sq *= kE
            rE += sq
            II = GEI * meanE - GII * mI + I0I
            fI = np.where(II <= 0, 0, np.where(II < 1, II * II, np.sqrt(np.maximum(4 * II - 3, 1))))
            rng.standard_normal(out=nI, dtype=f32)
            mI += (fI - mI + sigI * nI / np.sqrt(NI)) * kI
            if i % rec_every == 0:
                angles[:, i // rec_every - 1] = np.arctan2(rE @ sin_t, rE @ cos_t)
            if i == delayend - 1:
                response[done : done + b] = np.arctan2(rE @ sin_t, rE @ cos_t)
        done += b
    return response


def work(args):
    first, count = args
    (run_same if FORM == "same-algorithm" else run_authors)(first, count, 1 + first)
    return count


if __name__ == "__main__":
    procs = max(1, THREADS)
    share = [(k * trials // procs, (k + 1) * trials // procs - k * trials // procs) for k in range(procs)]
    t0 = time.perf_counter()
    if procs == 1:
        work(share[0])
    else:
        with get_context("fork").Pool(procs) as pool:
            pool.map(work, share)
    sec = time.perf_counter() - t0
    print(json.dumps({"seconds_per_trial": sec / trials, "trials_per_s": trials / sec, "processes": procs, "form": FORM, "numpy": np.__version__}))
