"""PyTorch reference for the rnn-train benchmark: the same dense sigmoid RNN BPTT step,
N=256, batch 32, T=100, 8 inputs, 4 linear outputs, MSE, Adam, on one CPU thread."""
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)
N, B, T, N_IN, N_OUT, ALPHA = 256, 32, 100, 8, 4, 0.2
w_rec = (torch.randn(N, N) * 1.5 / N**0.5).requires_grad_()
w_in = torch.randn(N_IN, N).requires_grad_()
w_out = (torch.randn(N, N_OUT) * 0.1).requires_grad_()
b_out = torch.zeros(N_OUT, requires_grad=True)
inputs = torch.randn(B, T, N_IN)
targets = torch.randn(B, T, N_OUT)
x0 = torch.randn(B, N) * 0.1
opt = torch.optim.Adam([w_rec, w_in, w_out, b_out], lr=1e-3)


def step():
    opt.zero_grad()
    drive = inputs @ w_in
    x = x0
    rates = []
    for t in range(T):
        r = torch.sigmoid(x)
        x = (1 - ALPHA) * x + ALPHA * (r @ w_rec + drive[:, t])
        rates.append(torch.sigmoid(x))
    out = torch.stack(rates, 1) @ w_out + b_out
    loss = torch.mean((out - targets) ** 2)
    loss.backward()
    opt.step()
    return loss.item()


step()
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 8
ts = []
for _ in range(runs):
    t0 = time.perf_counter()
    step()
    ts.append((time.perf_counter() - t0) * 1000)
ts.sort()
print(json.dumps({"ms_per_step": ts[len(ts) // 2], "torch": torch.__version__}))
