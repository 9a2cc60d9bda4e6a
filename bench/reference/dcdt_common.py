"""The DCDT batch and network of Kurtkaya et al. 2025 (N = 100, tanh current form with
alpha = dt/tau = 0.5, sigmoid read-out of the rate before the update, noise sd 0.001, weighted MSE,
SGD momentum 0.9 + weight decay 1e-7), shared by the PyTorch references, in three forms of the
same forward pass (same maths, same number of noise draws per step):

- "authors": as the authors' training code writes it (an nn.Module whose forward_step applies
  W_in to the batch-major slice inp[:, t], draws the noise per step, reads out every step, and
  returns torch.stack(...).permute(1, 0, 2)); their training loop also scores every epoch.
- "spec": the reference as it stood before the audit (the same loop without the module).
- "idiomatic": the input drive, its bias and the noise for all T steps made once, time-major
  ([T, B, N], one product and one randn), the recurrence as one addmm per step, and the read-out
  as one product over the stacked rates after the loop.
Gradients are identical; only the order of the noise draws differs (one [T, B, N] draw instead
of T draws of [B, N]).
"""
import torch

DT, N = 5, 100
FORMS = ["idiomatic", "authors", "spec"]


def dcdt_batch(delay_ms, per):
    """Full batch of `per` trials per cue: (cue, delay, resp) in steps, inputs u, targets z, loss weights w."""
    cue, delay, resp = 30 // DT, delay_ms // DT, 50 // DT
    T, B = cue + delay + resp, 2 * per
    u, z = torch.zeros(B, T, 2), torch.zeros(B, T, 2)
    labels = torch.arange(B) % 2
    for b in range(B):
        u[b, :cue, labels[b]] = 1
        z[b, cue + delay:, labels[b]] = 1
    w = torch.full((B, T, 2), resp / T)
    w[:, cue + delay:, :] = 1 - resp / T
    return (cue, delay, resp), u, z, w


def dcdt_net(lr):
    """Xavier-uniform weights (W_rec diagonal zeroed), PyTorch default biases, and the optimiser."""
    Win, Wrec, Wout = torch.nn.Linear(2, N), torch.nn.Linear(N, N), torch.nn.Linear(N, 2)
    for lin in (Win, Wrec, Wout):
        torch.nn.init.xavier_uniform_(lin.weight)
    with torch.no_grad():
        Wrec.weight.fill_diagonal_(0)
    params = list(Win.parameters()) + list(Wrec.parameters()) + list(Wout.parameters())
    return (Win, Wrec, Wout), torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=1e-7)


def dcdt_outputs(net, u, form="idiomatic", u_tm=None):
    """Outputs [B, T, 2] of one forward pass from r0 = tanh(0.1·N(0, 1)). `u_tm`: u time-major
    ([T, B, 2], contiguous), made once by the caller for the idiomatic form."""
    Win, Wrec, Wout = net
    B, T = u.shape[0], u.shape[1]
    r = torch.tanh(0.1 * torch.randn(B, N))
    if form == "idiomatic":
        if u_tm is None:
            u_tm = u.transpose(0, 1).contiguous()
        pre = torch.addmm(Win.bias + Wrec.bias, u_tm.view(T * B, 2), Win.weight.t()).view(T, B, N)
        pre = (pre + 0.001 * torch.randn(T, B, N)).unbind(0)
        wT = Wrec.weight.t()
        rates = []
        for t in range(T):
            rates.append(r)
            r = 0.5 * r + 0.5 * torch.tanh(torch.addmm(pre[t], r, wT))
        outs = torch.sigmoid(Wout(torch.stack(rates)))  # [T, B, 2]
        return outs.transpose(0, 1)
    if form == "authors":
        outs = []
        for t in range(T):
            pred = torch.sigmoid(Wout(r))
            z = torch.tanh(Win(u[:, t]) + Wrec(r) + torch.randn(B, N) * 0.001)
            r = 0.5 * r + 0.5 * z
            outs.append(pred)
        return torch.stack(outs).permute(1, 0, 2)
    outs = []
    for t in range(T):
        outs.append(torch.sigmoid(Wout(r)))
        r = 0.5 * r + 0.5 * torch.tanh(Wrec(r) + Win(u[:, t]) + 0.001 * torch.randn(B, N))
    return torch.stack(outs, 1)


def dcdt_score(o, z, w0, w1):
    """The authors' reaction-window accuracy and reliability of one epoch's outputs."""
    with torch.no_grad():
        p = torch.nan_to_num(o / o.sum(-1, keepdim=True))[:, w0:w1]
        g = z[:, w0:w1].argmax(-1)
        return (p.argmax(-1) == g).float().mean().item(), p.gather(-1, g[..., None]).mean().item()
