"""Train a lesson's default runs without the app: a small, seeded mini-batch loop.

Claims use this instead of the app's trainer so that they depend only on the
engine and the data (``nn_tui.engine``, ``nn_tui.data``; ``accuracy`` is the one the
supervised kinds measure with): what a claim measures is what the engine computes. Same seed, same numbers.
"""

from __future__ import annotations

import math

import numpy as np

from nn_tui.engine import Network, make_optimizer
from nn_tui.kinds.importance import accuracy  # noqa: F401 (the lessons read it here)


class Diverged(ArithmeticError):
    """The loss stopped being a finite number."""


def train(net, optimizer, X, Y, epochs, batch_size=10, seed=0, on_epoch=None):
    """``epochs`` passes over (X, Y) in mini-batches, shuffled by ``seed``.
    ``on_epoch(epoch, net)`` (optional) runs after each one; a True return stops
    training early. Returns the number of epochs run."""
    X = np.asarray(X, dtype=net.dtype)
    Y = np.asarray(Y, dtype=net.dtype)
    rng = np.random.default_rng(seed)
    n = len(X)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            index = order[start:start + batch_size]
            loss, _ = net.loss_and_grads(X[index], Y[index])
            if not math.isfinite(loss):
                raise Diverged(f"the loss became {loss} in epoch {epoch}")
            optimizer.step(net)
        if on_epoch is not None and on_epoch(epoch, net):
            return epoch
    return epochs


def fit(dataset, hidden, activation="tanh", optimizer="sgd", lr=0.03, batch_size=10, epochs=100,
        seed=0, reg="none", reg_rate=0.0, on_epoch=None, init="auto", X_train=None):
    """Build an MLP for ``dataset`` (its task picks the output and the loss, as
    ``nn-tui train`` does), train it, and return it. ``X_train`` replaces the
    dataset's training inputs (e.g. expanded features)."""
    X = dataset.X_train if X_train is None else X_train
    output, loss = head_for(dataset.task, dataset.n_outputs)
    net = Network.mlp(X.shape[1], hidden=list(hidden), n_out=dataset.n_outputs, activation=activation,
                      output=output, loss=loss, seed=seed, init=init)
    opt = make_optimizer(optimizer, lr=lr, reg=reg, reg_rate=reg_rate)
    train(net, opt, X, dataset.y_train, epochs, batch_size=batch_size, seed=seed, on_epoch=on_epoch)
    return net


def head_for(task, n_outputs):
    """The output activation and loss nn-tui uses for a task."""
    if task == "multiclass":
        return "softmax", "ce"
    if task == "binary":
        return "sigmoid", "bce"
    return "linear", "mse"
