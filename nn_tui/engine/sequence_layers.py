"""The pieces around a recurrent cell in a character model: an embedding in,
a per-step softmax + cross-entropy head out, clipping by global norm, and
sampling the next character.

    Embedding      E[idx]: (N, T) integer ids -> (N, T, dim)
    SoftmaxHead    p = softmax(h·W + b) at every step; the loss is the (weighted)
                   mean cross-entropy, and its gradient is fused: dL/dz = w·(p − y) / Σw
"""

from __future__ import annotations

import numpy as np

from nn_tui.engine.layers import Layer, Parameters
from nn_tui.engine.validation import check_count, make_rng, resolve_dtype


class Embedding(Layer):
    """``Embedding(vocab, dim, seed=0, dtype=np.float64)``: params {"E": (vocab, dim)},
    initialised N(0, 1) as PyTorch does. ``forward(ids)`` takes (N, T) integers;
    ``backward(dy)`` fills grads["E"] and returns None (ids have no gradient)."""

    regularized = ()

    def __init__(self, vocab, dim, seed=0, dtype=np.float64):
        self.vocab = check_count("vocab", vocab)
        self.dim = check_count("dim", dim)
        self.n_in, self.n_out = self.vocab, self.dim
        self.dtype = resolve_dtype(dtype)
        rng = make_rng(seed)
        self.params = Parameters(E=rng.standard_normal((self.vocab, self.dim)).astype(self.dtype))
        self.grads = {"E": np.zeros((self.vocab, self.dim), dtype=self.dtype)}
        self.mask = None
        self.ids = None

    def forward(self, ids):
        ids = np.asarray(ids)
        if ids.ndim != 2 or not np.issubdtype(ids.dtype, np.integer):
            raise ValueError(f"Embedding expects (N, T) integer ids, not {ids.dtype} {ids.shape}")
        if ids.size and (ids.min() < 0 or ids.max() >= self.vocab):
            raise ValueError(f"ids must lie in 0..{self.vocab - 1}")
        self.ids = ids
        return self.params["E"][ids]

    def backward(self, grad_out):
        """grads["E"][i] = Σ of dy over the positions holding id i (np.add.at's sums, in
        a quarter of its time): the rows sorted by id, then summed a run at a time."""
        grad = self.grads["E"]
        grad[...] = 0.0
        ids = self.ids.ravel()
        if not ids.size:
            return None
        order = np.argsort(ids, kind="stable")
        sorted_ids = ids[order]
        starts = np.flatnonzero(np.concatenate(([True], sorted_ids[1:] != sorted_ids[:-1])))
        rows = np.asarray(grad_out, dtype=self.dtype).reshape(-1, self.dim)
        grad[sorted_ids[starts]] = np.add.reduceat(rows[order], starts, axis=0)
        return None

    def __repr__(self):
        return f"Embedding({self.vocab}, {self.dim})"


class SoftmaxHead(Layer):
    """``SoftmaxHead(n_in, n_classes, seed=0, dtype=np.float64)``: a dense layer
    applied at every step, then softmax; params {"W": (n_in, C), "b": (C,)}.

    ``forward(h)`` -> probabilities (N, T, C). ``loss_and_backward(targets,
    weights=None)`` after a forward: the mean cross-entropy over all steps
    (weighted by ``weights`` (N, T) if given: Σ w·ce / Σ w), fills grads and
    returns (loss, dL/dh). ``backward(dp)`` exists only to say it is fused.
    """

    regularized = ("W",)

    def __init__(self, n_in, n_classes, seed=0, dtype=np.float64):
        self.n_in = check_count("n_in", n_in)
        self.n_out = check_count("n_classes", n_classes)
        self.dtype = resolve_dtype(dtype)
        rng = make_rng(seed)
        bound = 1.0 / np.sqrt(self.n_in)  # nn.Linear's default
        self.params = Parameters(W=rng.uniform(-bound, bound, (self.n_in, self.n_out)).astype(self.dtype),
                                 b=rng.uniform(-bound, bound, self.n_out).astype(self.dtype))
        self.grads = {"W": np.zeros((self.n_in, self.n_out), dtype=self.dtype),
                      "b": np.zeros(self.n_out, dtype=self.dtype)}
        self.mask = None
        self.input = None
        self.output = None

    def forward(self, h):
        h = np.asarray(h, dtype=self.dtype)
        self.input = h
        z = h.reshape(-1, self.n_in) @ self.params["W"]
        z += self.params["b"]
        z -= z.max(axis=1, keepdims=True)  # exp never overflows
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        self.output = z.reshape(h.shape[:-1] + (self.n_out,))
        return self.output

    def loss_and_backward(self, targets, weights=None):
        probs = self.output.reshape(-1, self.n_out)
        targets = np.asarray(targets).reshape(-1)
        if targets.shape[0] != probs.shape[0]:
            raise ValueError(f"{targets.shape[0]} targets for {probs.shape[0]} predictions")
        rows = np.arange(len(targets))
        picked = probs[rows, targets]
        ce = -np.log(np.maximum(picked, np.finfo(self.dtype).tiny))
        grad_z = probs.copy()
        grad_z[rows, targets] -= 1.0
        if weights is None:
            total = float(len(targets))
            loss = float(ce.sum()) / total
            grad_z /= total
        else:
            w = np.asarray(weights, dtype=self.dtype).reshape(-1)
            total = float(w.sum())
            if total <= 0:
                raise ValueError("weights must have a positive sum")
            loss = float(w @ ce) / total
            grad_z *= (w / total)[:, None]
        h = self.input.reshape(-1, self.n_in)
        np.matmul(h.T, grad_z, out=self.grads["W"])
        np.sum(grad_z, axis=0, out=self.grads["b"])
        dh = grad_z @ self.params["W"].T
        return loss, dh.reshape(self.input.shape)

    def backward(self, grad_out):
        raise TypeError("SoftmaxHead is fused with its loss: call loss_and_backward(targets)")

    def __repr__(self):
        return f"SoftmaxHead({self.n_in}, {self.n_out})"


def clip_grad_norm(grads, max_norm):
    """Scale the arrays in ``grads`` (in place) so their global L2 norm is at
    most ``max_norm``; returns the norm before clipping. A non-finite norm is
    returned as is and nothing is scaled (the caller decides what to do)."""
    grads = list(grads)
    norm = float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads)))
    if max_norm is not None and np.isfinite(norm) and norm > max_norm:
        scale = max_norm / (norm + 1e-12)
        for g in grads:
            g *= scale
    return norm


def sample_index(probs, temperature=1.0, rng=None):
    """One index per row of ``probs`` (…, C): the arg max when temperature is 0
    (greedy), otherwise a draw from p^(1/temperature), renormalised. ``rng`` is a
    Generator or a seed (None = 0), so the same seed writes the same text."""
    probs = np.asarray(probs, dtype=np.float64)
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, not {temperature}")
    if temperature == 0:
        return probs.argmax(axis=-1)
    rng = make_rng(rng)
    logits = np.log(np.maximum(probs, 1e-300)) / temperature
    logits -= logits.max(axis=-1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=-1, keepdims=True)
    flat = p.reshape(-1, p.shape[-1])
    draws = rng.random(len(flat))
    picks = (flat.cumsum(axis=1) < draws[:, None]).sum(axis=1)
    picks = np.minimum(picks, flat.shape[1] - 1)
    return picks.reshape(p.shape[:-1])
