"""PyTorch CPU reference for the Kurtkaya et al. 2025 DCDT network (dcdt_common.py): one training
epoch = the full batch (64 trials per cue), weighted MSE, SGD step, lr 0.01, and the authors'
reaction-window accuracy and reliability (wmkit's trainStm scores every epoch too).

Choices (audit, 2026-12-04):
- `--form idiomatic` (default): drive, biases and noise made once per epoch, time-major; one addmm
  per step; read-out after the loop. `--form authors`: the authors' module, step by step
  (dynamical-phases-stm, src/rnn.py). `--form spec`: the reference before the audit. Same maths.
- Threads: torch.set_num_threads(WMKIT_BENCH_THREADS) (the old script left PyTorch's default,
  every core, so its "1 thread" was not one). The authors train 20 networks at once with joblib,
  one process per network.
- Warm-up: 2 epochs before timing; reported: median epoch time.
usage: dcdt_torch.py [--form idiomatic|authors|spec] <delay_ms> <epochs>   → {"ms_per_epoch": …}
"""
import sys

from peer_env import THREADS, form, torch_openmp

torch_openmp()  # before torch loads libgomp

import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402

from dcdt_common import FORMS, dcdt_batch, dcdt_net, dcdt_outputs, dcdt_score  # noqa: E402

FORM = form(sys.argv, FORMS, "idiomatic")
torch.set_num_threads(THREADS)
torch.manual_seed(0)
delay_ms, epochs = int(sys.argv[1]), int(sys.argv[2])
(cue, delay, resp), u, z, w = dcdt_batch(delay_ms, 64)
u_tm = u.transpose(0, 1).contiguous()
w0, w1 = cue + delay - 1, cue + delay + resp - 1
net, opt = dcdt_net(0.01)


def epoch():
    o = dcdt_outputs(net, u, FORM, u_tm)
    loss = (w * (o - z) ** 2).mean()
    dcdt_score(o, z, w0, w1)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


for _ in range(2):
    epoch()
ts = []
for _ in range(epochs):
    t0 = time.perf_counter()
    epoch()
    ts.append(time.perf_counter() - t0)
ts.sort()
print(json.dumps({"ms_per_epoch": ts[len(ts) // 2] * 1000, "threads": torch.get_num_threads(), "form": FORM, "torch": torch.__version__, "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", ""), "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "")}))
