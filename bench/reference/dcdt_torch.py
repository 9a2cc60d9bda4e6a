"""PyTorch CPU reference for the Kurtkaya et al. DCDT network (spec stm-phases.md §2), written from
the spec: N = 100, tanh current form with alpha = 0.5, sigmoid read-out before the update, noise
sd 0.001, weighted MSE, SGD momentum 0.9 + weight decay 1e-7, full batch (64 trials per cue).

usage: dcdt_torch.py <delay_ms> <epochs>   → prints {"ms_per_epoch": …, "threads": …}
"""
import json
import sys
import time

import torch

torch.manual_seed(0)
delay_ms, epochs = int(sys.argv[1]), int(sys.argv[2])
dt = 5
cue, delay, resp = 30 // dt, delay_ms // dt, 50 // dt
T = cue + delay + resp
B, N = 128, 100
u = torch.zeros(B, T, 2)
z = torch.zeros(B, T, 2)
labels = torch.arange(B) % 2
for b in range(B):
    u[b, :cue, labels[b]] = 1
    z[b, cue + delay:, labels[b]] = 1
w = torch.full((B, T, 2), resp / T)
w[:, cue + delay:, :] = 1 - resp / T

Win = torch.nn.Linear(2, N)
Wrec = torch.nn.Linear(N, N)
Wout = torch.nn.Linear(N, 2)
for lin in (Win, Wrec, Wout):
    torch.nn.init.xavier_uniform_(lin.weight)
with torch.no_grad():
    Wrec.weight.fill_diagonal_(0)
params = list(Win.parameters()) + list(Wrec.parameters()) + list(Wout.parameters())
opt = torch.optim.SGD(params, lr=0.01, momentum=0.9, weight_decay=1e-7)


def epoch():
    r = torch.tanh(0.1 * torch.randn(B, N))
    outs = []
    for t in range(T):
        outs.append(torch.sigmoid(Wout(r)))
        r = 0.5 * r + 0.5 * torch.tanh(Wrec(r) + Win(u[:, t]) + 0.001 * torch.randn(B, N))
    o = torch.stack(outs, 1)
    loss = (w * (o - z) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()


epoch()  # warm-up
t0 = time.perf_counter()
for _ in range(epochs):
    epoch()
print(json.dumps({"ms_per_epoch": (time.perf_counter() - t0) / epochs * 1000, "threads": torch.get_num_threads()}))
