"""The same networks in PyTorch (CPU), trained with a standard step:
zero_grad, forward, loss, backward, SGD step (and the loss read as a float,
as the engine returns it)."""

from __future__ import annotations

import numpy as np

from bench.engine_vs_floor import Arch

INSTALL_HINT = "PyTorch not installed: pip install -e '.[bench]'"


def torch_or_none():
    try:
        import torch
    except ImportError:
        return None
    return torch


def make_torch(arch: Arch, params: list[np.ndarray], batches, threads: int = 1):
    """A PyTorch model with the engine's initial weights (``params`` = [W1, b1, ...]),
    and ``(step, batches)``: the step and the same batches as tensors."""
    import torch
    from torch import nn

    torch.set_num_threads(threads)
    dtype = torch.float64 if params[0].dtype == np.float64 else torch.float32
    sizes = [arch.n_in, *arch.hidden, arch.n_out]
    act = {"tanh": nn.Tanh, "relu": nn.ReLU}[arch.activation]
    modules = []
    for i, (n_from, n_to) in enumerate(zip(sizes, sizes[1:])):
        modules.append(nn.Linear(n_from, n_to, dtype=dtype))
        if i < len(sizes) - 2:
            modules.append(act())
    model = nn.Sequential(*modules)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    with torch.no_grad():
        for j, linear in enumerate(linears):
            linear.weight.copy_(torch.from_numpy(params[2 * j].T.copy()))  # torch keeps (out, in)
            linear.bias.copy_(torch.from_numpy(params[2 * j + 1]))

    if arch.loss == "bce":  # sigmoid output + bce, fused as the engine does
        loss_fn = nn.BCEWithLogitsLoss()
        tensors = [(torch.from_numpy(X), torch.from_numpy(Y)) for X, Y in batches]
    else:  # softmax output + cross-entropy, with class indices as PyTorch users give them
        loss_fn = nn.CrossEntropyLoss()
        tensors = [(torch.from_numpy(X), torch.from_numpy(Y.argmax(axis=1))) for X, Y in batches]
    optimizer = torch.optim.SGD(model.parameters(), lr=arch.lr)

    def step(batch):
        X, y = batch
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    return model, step, tensors


def torch_params(model) -> list[np.ndarray]:
    """[W1, b1, ...] in the engine's layout, (n_in, n_out)."""
    from torch import nn

    out = []
    for m in model:
        if isinstance(m, nn.Linear):
            out += [m.weight.detach().numpy().T.copy(), m.bias.detach().numpy().copy()]
    return out


def check_same_numbers(arch: Arch, steps: int = 6) -> None:
    """Before racing: PyTorch trains the very network the engine trains (same losses, weights)."""
    from bench.engine_vs_floor import engine_step, initial_params, make_batches, make_engine

    batches = make_batches(arch, count=3)
    net, opt = make_engine(arch)
    model, step, tensors = make_torch(arch, initial_params(net), batches)
    engine = engine_step(net, opt)
    for i in range(steps):
        np.testing.assert_allclose(step(tensors[i % 3]), engine(batches[i % 3]), rtol=1e-10)
    for ours, theirs in zip(initial_params(net), torch_params(model)):
        np.testing.assert_allclose(theirs, ours, rtol=1e-9, atol=1e-12)
