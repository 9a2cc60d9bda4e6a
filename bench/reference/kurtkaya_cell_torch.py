"""PyTorch cross-check of one cell of the Kurtkaya et al. 2025 phase diagram: train `seeds` DCDT
networks at one learning rate and delay as the paper does, score every epoch with the authors'
reaction-window accuracy and reliability, and classify each network with their rule (learned /
learned-then-unstable / not learned). Compare with `wmkit sweep run` of
`train stm-rnn --no-fixed-points` on the same cell. Run by hand, not by `pnpm bench`.

Choices (audit, 2026-12-04): the forward pass of dcdt_common.py, `--form idiomatic` by default
(`--form authors` for the authors' module); torch.set_num_threads(WMKIT_BENCH_THREADS), default 1:
run one process per core, as the authors run one joblib process per network.

usage: kurtkaya_cell_torch.py [--form idiomatic|authors|spec] <lr> <delay_ms> <first_seed> <seeds> <trials_per_cue>
  → prints {"learned": n, "unstable": n, "not_learned": n, "seconds": s}
"""
import sys

from peer_env import THREADS, form, torch_openmp

torch_openmp()  # before torch loads libgomp

import json  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402

from dcdt_common import FORMS, dcdt_batch, dcdt_net, dcdt_outputs, dcdt_score  # noqa: E402

FORM = form(sys.argv, FORMS, "idiomatic")
torch.set_num_threads(THREADS)
lr, delay_ms = float(sys.argv[1]), int(sys.argv[2])
first, seeds, per = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
epochs = int(max(1000, 30 / lr))
(cue, delay, resp), u, z, w = dcdt_batch(delay_ms, per)
u_tm = u.transpose(0, 1).contiguous()
w0, w1 = cue + delay - 1, cue + delay + resp - 1  # the authors' reaction window


def train(seed):
    torch.manual_seed(seed)
    net, opt = dcdt_net(lr)
    acc, rel = [], []
    for _ in range(epochs):
        o = dcdt_outputs(net, u, FORM, u_tm)
        loss = (w * (o - z) ** 2).mean()
        a, r = dcdt_score(o, z, w0, w1)
        acc.append(a)
        rel.append(r)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return acc, rel


def classify(acc, rel):
    acc, rel = torch.tensor(acc), torch.tensor(rel)
    ok = ((acc > 0.8) & (rel > 0.8)).nonzero()
    stable = True
    if len(ok):
        s = ok[0, 0]
        below = (acc[s:] < 0.6).sum() + (rel[s:] < 0.6).sum()
        above = (acc[s:] > 0.6).sum() + (rel[s:] > 0.6).sum()
        stable = bool(below / above < 0.1)
    start = int(len(acc) * 0.9)
    if acc[start:].mean() > 0.8 and rel[start:].mean() > 0.8 and stable:
        return "learned"
    return "unstable" if len(ok) and not stable else "not_learned"


t0 = time.perf_counter()
counts = {"learned": 0, "unstable": 0, "not_learned": 0}
for seed in range(first, first + seeds):
    counts[classify(*train(seed))] += 1
counts["seconds"] = time.perf_counter() - t0
print(json.dumps(counts))
