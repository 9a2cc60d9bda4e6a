"""Versions of the peers and the BLAS they load, for the machine description in the results JSON."""
import json
import platform

from peer_env import blas

out = {"python": platform.python_version()}
try:
    import numpy as np

    out["numpy"] = np.__version__
    np.ones((2, 2)) @ np.ones((2, 2))
except ImportError:
    pass
try:
    import torch

    out["torch"] = torch.__version__
    out["torchCpuCapability"] = torch.backends.cpu.get_cpu_capability() if hasattr(torch.backends, "cpu") else ""
except ImportError:
    pass
try:
    import brian2

    out["brian2"] = brian2.__version__
except ImportError:
    pass
out["blas"] = blas()
print(json.dumps(out))
