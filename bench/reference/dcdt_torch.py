"""PyTorch CPU reference for the Kurtkaya et al. DCDT network (spec stm-phases.md §2), written from
the spec (dcdt_common.py): full batch (64 trials per cue), lr 0.01.

usage: dcdt_torch.py <delay_ms> <epochs>   → prints {"ms_per_epoch": …, "threads": …}
"""
import json
import sys
import time

import torch

from dcdt_common import dcdt_batch, dcdt_net, dcdt_outputs

torch.manual_seed(0)
delay_ms, epochs = int(sys.argv[1]), int(sys.argv[2])
_, u, z, w = dcdt_batch(delay_ms, 64)
net, opt = dcdt_net(0.01)


def epoch():
    loss = (w * (dcdt_outputs(net, u) - z) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()


epoch()  # warm-up
t0 = time.perf_counter()
for _ in range(epochs):
    epoch()
print(json.dumps({"ms_per_epoch": (time.perf_counter() - t0) / epochs * 1000, "threads": torch.get_num_threads()}))
