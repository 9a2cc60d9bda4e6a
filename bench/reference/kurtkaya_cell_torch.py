"""PyTorch cross-check of one cell of the Kurtkaya et al. phase diagram (spec stm-phases.md), written
from the spec: train `seeds` DCDT networks at one learning rate and delay as the paper does, score
every epoch with the authors' reaction-window accuracy and reliability, and classify each network
with their rule (learned / learned-then-unstable / not learned). Compare with
`wmkit sweep run` of `train stm-rnn --no-fixed-points` on the same cell.

usage: kurtkaya_cell_torch.py <lr> <delay_ms> <first_seed> <seeds> <trials_per_cue>
  → prints {"learned": n, "unstable": n, "not_learned": n, "seconds": s}
"""
import json
import sys
import time

import torch

from dcdt_common import dcdt_batch, dcdt_net, dcdt_outputs

torch.set_num_threads(1)
lr, delay_ms = float(sys.argv[1]), int(sys.argv[2])
first, seeds, per = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
epochs = int(max(1000, 30 / lr))
(cue, delay, resp), u, z, w = dcdt_batch(delay_ms, per)
w0, w1 = cue + delay - 1, cue + delay + resp - 1  # the authors' reaction window


def train(seed):
    torch.manual_seed(seed)
    net, opt = dcdt_net(lr)
    acc, rel = [], []
    for _ in range(epochs):
        o = dcdt_outputs(net, u)
        loss = (w * (o - z) ** 2).mean()
        with torch.no_grad():
            p = torch.nan_to_num(o / o.sum(-1, keepdim=True))[:, w0:w1]
            g = z[:, w0:w1].argmax(-1)
            acc.append((p.argmax(-1) == g).float().mean().item())
            rel.append(p.gather(-1, g[..., None]).mean().item())
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
