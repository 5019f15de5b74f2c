"""The engine against the floor: a minimal hand-written NumPy training loop.

The floor is the same network's forward pass, loss, backward pass and plain
SGD update, unrolled by hand for each architecture, with nothing else (no
layer objects, no dispatch, no flat buffers, no checks). It does exactly the
engine's arithmetic, so after the same steps on the same batches both hold the
same weights (tests/test_bench_smoke.py checks it): the floor is what a
training step costs in NumPy at the least, and the engine's overhead is its
distance from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Arch:
    key: str
    label: str
    n_in: int
    hidden: tuple[int, ...]
    n_out: int
    activation: str
    output: str
    loss: str
    batch: int
    lr: float
    floor_goal: float  # engine samples/s ÷ floor samples/s, at least
    torch_goal: float  # engine samples/s ÷ PyTorch samples/s, at least


ARCHS = (
    Arch("tiny", "2-8-8-1 tanh, sigmoid+bce, batch 10", 2, (8, 8), 1, "tanh", "sigmoid", "bce", 10, 0.03, 0.8, 5.0),
    Arch("digits", "64-64-10 relu, softmax+ce, batch 32", 64, (64,), 10, "relu", "softmax", "ce", 32, 0.01, 0.8, 3.0),
    Arch("mnist", "784-128-10 relu, softmax+ce, batch 64", 784, (128,), 10, "relu", "softmax", "ce", 64, 0.01, 0.9, 1.0),
)
ARCH_BY_KEY = {arch.key: arch for arch in ARCHS}


def make_batches(arch: Arch, count: int = 32, seed: int = 1, dtype=np.float64) -> list[tuple[np.ndarray, np.ndarray]]:
    """`count` random (X, Y) batches: Y is 0/1 (N, 1) for bce, one-hot (N, k) for ce."""
    rng = np.random.default_rng(seed)
    batches = []
    for _ in range(count):
        if arch.n_in == 2:
            X = rng.normal(size=(arch.batch, arch.n_in))
        else:  # pixel-like inputs in [0, 1]
            X = rng.random((arch.batch, arch.n_in))
        if arch.loss == "bce":
            Y = (rng.random((arch.batch, arch.n_out)) < 0.5).astype(float)
        else:
            Y = np.eye(arch.n_out)[rng.integers(0, arch.n_out, arch.batch)]
        batches.append((np.ascontiguousarray(X, dtype=dtype), np.ascontiguousarray(Y, dtype=dtype)))
    return batches


# ----------------------------------------------------------------------------- the engine
def make_engine(arch: Arch, seed: int = 0, dtype=np.float64):
    from nn_tui.engine import Network, make_optimizer

    net = Network.mlp(arch.n_in, hidden=list(arch.hidden), n_out=arch.n_out, activation=arch.activation,
                      output=arch.output, loss=arch.loss, seed=seed, dtype=dtype)
    opt = make_optimizer("sgd", arch.lr)
    return net, opt


def engine_step(net, opt):
    """The engine's training step: loss_and_grads, then the optimizer's step."""
    loss_and_grads, update = net.loss_and_grads, opt.step

    def step(batch):
        loss, _ = loss_and_grads(batch[0], batch[1])
        update(net)
        return loss

    return step


def initial_params(net) -> list[np.ndarray]:
    """[W1, b1, W2, b2, ...] copied out of an engine network."""
    out = []
    for layer in net.layers:
        out += [np.array(layer.params["W"], copy=True), np.array(layer.params["b"], copy=True)]
    return out


# ----------------------------------------------------------------------------- the floor
def floor_step(arch: Arch, params: list[np.ndarray]):
    """The floor's step for `arch`, updating `params` ([W1, b1, ...]) in place.
    Returns step(batch) -> loss."""
    shape = (arch.hidden, arch.activation, arch.output, arch.loss)
    if len(arch.hidden) == 2 and arch.activation == "tanh" and arch.output == "sigmoid" and arch.loss == "bce":
        return _floor_tanh2_sigmoid_bce(params, arch.lr)
    if len(arch.hidden) == 1 and arch.activation == "relu" and arch.output == "softmax" and arch.loss == "ce":
        return _floor_relu1_softmax_ce(params, arch.lr)
    raise ValueError(f"no floor written for {shape}")


def _floor_tanh2_sigmoid_bce(params, lr):
    W1, b1, W2, b2, W3, b3 = params
    tanh, logaddexp, vdot = np.tanh, np.logaddexp, np.vdot

    def step(batch):
        nonlocal W1, b1, W2, b2, W3, b3  # updated in place (-=), never rebound to new arrays
        X, Y = batch
        inv_n = 1.0 / len(X)
        # forward
        a1 = X @ W1
        a1 += b1
        tanh(a1, out=a1)
        a2 = a1 @ W2
        a2 += b2
        tanh(a2, out=a2)
        z3 = a2 @ W3
        z3 += b3
        # loss: mean of log(1 + e^z) − y·z; gradient (σ(z) − y)/N, σ(z) = ½·tanh(z/2) + ½
        loss = (float(logaddexp(0.0, z3).sum()) - float(vdot(Y, z3))) * inv_n
        g3 = z3 * 0.5
        tanh(g3, out=g3)
        g3 *= 0.5
        g3 += 0.5
        g3 -= Y
        g3 *= inv_n
        # backward
        gW3 = a2.T @ g3
        gb3 = g3.sum(axis=0)
        g2 = g3 @ W3.T
        g2 *= 1.0 - a2 * a2
        gW2 = a1.T @ g2
        gb2 = g2.sum(axis=0)
        g1 = g2 @ W2.T
        g1 *= 1.0 - a1 * a1
        gW1 = X.T @ g1
        gb1 = g1.sum(axis=0)
        # SGD
        gW1 *= lr
        W1 -= gW1
        gb1 *= lr
        b1 -= gb1
        gW2 *= lr
        W2 -= gW2
        gb2 *= lr
        b2 -= gb2
        gW3 *= lr
        W3 -= gW3
        gb3 *= lr
        b3 -= gb3
        return loss

    return step


def _floor_relu1_softmax_ce(params, lr):
    W1, b1, W2, b2 = params
    exp, log, maximum, vdot = np.exp, np.log, np.maximum, np.vdot

    def step(batch):
        nonlocal W1, b1, W2, b2  # updated in place (-=), never rebound to new arrays
        X, Y = batch
        inv_n = 1.0 / len(X)
        # forward
        a1 = X @ W1
        a1 += b1
        maximum(a1, 0.0, out=a1)
        z2 = a1 @ W2
        z2 += b2
        # loss −Σ y·log softmax(z) / N from the shifted logits; gradient (p − y)/N
        shifted = z2 - z2.max(axis=1, keepdims=True)
        g2 = exp(shifted)
        row_sum = g2.sum(axis=1, keepdims=True)
        loss = -float(vdot(Y, shifted - log(row_sum))) * inv_n
        g2 /= row_sum
        g2 -= Y
        g2 *= inv_n
        # backward
        gW2 = a1.T @ g2
        gb2 = g2.sum(axis=0)
        g1 = g2 @ W2.T
        g1 *= a1 > 0
        gW1 = X.T @ g1
        gb1 = g1.sum(axis=0)
        # SGD
        gW1 *= lr
        W1 -= gW1
        gb1 *= lr
        b1 -= gb1
        gW2 *= lr
        W2 -= gW2
        gb2 *= lr
        b2 -= gb2
        return loss

    return step
