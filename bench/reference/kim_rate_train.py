"""PyTorch reference for the ei-rnn training benchmark: Kim et al. 2019's DMS rate RNN (N = 200,
20% inhibitory, Dale's principle relu(w)·m, trainable τ in [4, 25] steps, sigmoid, noise 0.1,
T = 300, loss sqrt(Σ(o−z)²)), a fresh minibatch per update and one Adam step.

Choices (audit, 2026-12-04):
- `--form idiomatic` (default): input drive time-major ([T, B, N], one product before the loop),
  all T noise draws in one randn([T, B, N]), α·(r·W + drive) as one addmm per step, and the
  read-out as one product over the stacked rates after the loop. `--form original`: the reference
  before the audit (batch-major drive sliced drive[:, t], randn per step, read-out per step).
  Same maths, same number of noise draws.
- Threads: torch.set_num_threads(WMKIT_BENCH_THREADS); the harness runs 1 and all cores.
- Warm-up: 2 updates; reported: median update time.
usage: kim_rate_train.py [--form idiomatic|original] BATCH UPDATES"""
import sys

from peer_env import THREADS, form, torch_openmp

torch_openmp()  # before torch loads libgomp

import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402

FORM = form(sys.argv, ["idiomatic", "original"], "idiomatic")
torch.set_num_threads(THREADS)
torch.manual_seed(0)
B = int(sys.argv[1])
updates = int(sys.argv[2])
N, T = 200, 300
inh = torch.rand(N) < 0.2
m = torch.where(inh, -1.0, 1.0)
mask = (torch.rand(N, N) < 0.2).float()
w = (torch.randn(N, N).abs() * mask * 1.5 / (N * 0.2) ** 0.5).requires_grad_()
w_in = torch.randn(N, 2)
w_out = (torch.randn(1, N) / 100).requires_grad_()
b_out = torch.zeros(1, requires_grad=True)
taus_gaus = torch.randn(N).requires_grad_()
opt = torch.optim.Adam([w, w_out, b_out, taus_gaus], lr=0.01)


def batch():
    u = torch.zeros(B, T, 2)
    s1 = torch.where(torch.rand(B) < 0.5, 1.0, -1.0)
    s2 = torch.where(torch.rand(B) < 0.5, 1.0, -1.0)
    u[:, 50:100, 0] = s1[:, None]
    u[:, 110:160, 1] = s2[:, None]
    z = torch.zeros(B, T)
    z[:, 170:270] = (s1 * s2)[:, None]
    return u, z


def step_idiomatic():
    u, z = batch()
    opt.zero_grad(set_to_none=True)
    w_effT = (torch.relu(w) * m[None, :]).t()
    alpha = 1 / (torch.sigmoid(taus_gaus) * 21 + 4)
    drive = (u.transpose(0, 1).reshape(T * B, 2) @ w_in.T).view(T, B, N).unbind(0)
    noise = (torch.randn(T, B, N) / 10).unbind(0)
    x = torch.randn(B, N) / 100
    r = torch.sigmoid(x)
    rates = []
    for t in range(T):
        x = (1 - alpha) * x + alpha * torch.addmm(drive[t], r, w_effT) + noise[t]
        r = torch.sigmoid(x)
        rates.append(r)
    o = torch.addmm(b_out, torch.stack(rates).view(T * B, N), w_out.T).view(T, B)
    loss = torch.sqrt(((o - z.T) ** 2).sum(0)).mean()
    loss.backward()
    opt.step()


def step_original():
    u, z = batch()
    opt.zero_grad()
    w_eff = torch.relu(w) * m[None, :]
    alpha = 1 / (torch.sigmoid(taus_gaus) * 21 + 4)
    x = torch.randn(B, N) / 100
    r = torch.sigmoid(x)
    drive = u @ w_in.T
    outs = []
    for t in range(T):
        x = (1 - alpha) * x + alpha * (r @ w_eff.T + drive[:, t]) + torch.randn(B, N) / 10
        r = torch.sigmoid(x)
        outs.append(r @ w_out.T + b_out)
    o = torch.stack(outs, 1)[..., 0]
    loss = torch.sqrt(((o - z) ** 2).sum(1)).mean()
    loss.backward()
    opt.step()


step = step_idiomatic if FORM == "idiomatic" else step_original
for _ in range(2):
    step()
ts = []
for _ in range(updates):
    t0 = time.perf_counter()
    step()
    ts.append(time.perf_counter() - t0)
ts.sort()
med = ts[len(ts) // 2]
print(json.dumps({"ms_per_update": med * 1000, "trials_per_s": B / med, "threads": torch.get_num_threads(), "form": FORM, "torch": torch.__version__, "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", ""), "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "")}))
