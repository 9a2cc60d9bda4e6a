"""The DCDT batch and network of Kurtkaya et al. (spec stm-phases.md §1–2), shared by the PyTorch
references: N = 100, tanh current form with alpha = 0.5, sigmoid read-out before the update, noise
sd 0.001, weighted MSE, SGD momentum 0.9 + weight decay 1e-7."""
import torch

DT, N = 5, 100


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


def dcdt_outputs(net, u):
    """Outputs [B, T, 2] of one forward pass from r0 = tanh(0.1·N(0, 1))."""
    Win, Wrec, Wout = net
    r = torch.tanh(0.1 * torch.randn(u.shape[0], N))
    outs = []
    for t in range(u.shape[1]):
        outs.append(torch.sigmoid(Wout(r)))
        r = 0.5 * r + 0.5 * torch.tanh(Wrec(r) + Win(u[:, t]) + 0.001 * torch.randn(u.shape[0], N))
    return torch.stack(outs, 1)
