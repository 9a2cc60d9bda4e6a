"""PyTorch reference for the rnn-train benchmark: one BPTT step of the dense sigmoid rate RNN,
N = 256, batch 32, T = 100, 8 inputs, 4 linear outputs, MSE, Adam (the same network, loss and
sizes as bench/src/benches/rnn-train.ts).

Choices (audit, 2026-12-04):
- Input drive time-major: `(inputs.transpose(0, 1).contiguous() @ w_in).unbind(0)`, then
  `drive[t]`. The old form (`--form batch-major`) computed `drive = inputs @ w_in` as [B, T, N]
  and took `drive[:, t]`; since w_in requires a gradient, each of the 100 strided slices
  back-propagates into a zero-filled [B, T, N] buffer (100 × 3.3 MB of writes per step): 10× slower.
- r = σ(x) is computed once per step and reused for the next step (the old form computed it twice).
- The read-out is one [T·B, N] × [N, 4] product after the loop (as wmkit does).
- Both forms print the first step's loss (first_loss): equal to 6 digits, the same computation.
- Threads: torch.set_num_threads(WMKIT_BENCH_THREADS) (see peer_env.py); the harness runs 1 and
  all cores. Warm-up: 2 steps (allocator, Adam state) before timing; median of the timed steps.
usage: rnn_train_step.py [--form time-major|batch-major] [STEPS]   → JSON with ms_per_step
"""
import sys

from peer_env import THREADS, form, torch_openmp

torch_openmp()  # before torch loads libgomp

import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402

FORM = form(sys.argv, ["time-major", "batch-major"], "time-major")
torch.set_num_threads(THREADS)
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
inputs_tm = inputs.transpose(0, 1).contiguous()  # [T, B, N_IN], made once (data, not work per step)
targets_tm = targets.transpose(0, 1).contiguous()


def step_time_major():
    opt.zero_grad(set_to_none=True)
    drive = (inputs_tm @ w_in).unbind(0)  # T × [B, N], contiguous
    x = x0
    r = torch.sigmoid(x)
    rates = []
    for t in range(T):
        x = (1 - ALPHA) * x + ALPHA * torch.addmm(drive[t], r, w_rec)
        r = torch.sigmoid(x)
        rates.append(r)
    out = torch.addmm(b_out, torch.stack(rates).view(T * B, N), w_out)
    loss = torch.mean((out - targets_tm.view(T * B, N_OUT)) ** 2)
    loss.backward()
    opt.step()
    return loss.item()


def step_batch_major():  # the reference as it stood before the audit
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


step = step_time_major if FORM == "time-major" else step_batch_major
first_loss = step()  # the same number in both forms: the same work
step()
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 8
ts = []
for _ in range(runs):
    t0 = time.perf_counter()
    step()
    ts.append((time.perf_counter() - t0) * 1000)
ts.sort()
print(json.dumps({"ms_per_step": ts[len(ts) // 2], "threads": torch.get_num_threads(), "form": FORM, "first_loss": first_loss, "torch": torch.__version__, "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", ""), "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "")}))
