"""NumPy reference for the attractor benchmark: the continuous bump model of Wimmer et al. 2014
(Supplementary Code 1, 2-s delay, 2,100 steps of 2 ms), batched over trials (B trials per
array), with the dense E→E matrix and every inhibitory unit, as the script writes it.
usage: bump_numpy.py TRIALS BATCH   → JSON with s/trial"""
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

trials, B = int(sys.argv[1]), int(sys.argv[2])
N = 512
dt, tauE, tauI = 2.0, 20.0, 10.0
kappa, GEE, GEI, GIE, GII, I0E, I0I, sigE, sigI = 1.5, 6, 4, 3.4, 0.85, 0.2, 0.5, 1, 3
stim_amp = 200
theta = np.arange(N) / N * 2 * np.pi
v = np.exp(kappa * np.cos(theta))
v /= v.sum()
WE = np.array([np.roll(v, i) for i in range(N)])  # circulant
stimon, stimoff, delayend = 500, 750, 1750
nsteps = 2100
f = lambda x: np.where(x <= 0, 0.0, np.where(x < 1, x * x, np.sqrt(np.maximum(4 * x - 3, 1))))  # noqa: E731
rng = np.random.default_rng(1)
cues = np.arange(trials) % 8 * (2 * np.pi / 8)
t0 = time.perf_counter()
done = 0
while done < trials:
    b = min(B, trials - done)
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
sec = time.perf_counter() - t0
print(json.dumps({"seconds_per_trial": sec / trials, "trials_per_s": trials / sec}))
