"""Multi-head self-attention on batch-first sequences (N, T, d) -> (N, T, d).

    [q k v] = x·W_qkv + b_qkv                      W_qkv (d, 3d): columns q, then k, then v
    head h of q, k, v: columns h·dh to (h+1)·dh   dh = d / heads
    A = softmax(q·kᵀ / √dh)                      future positions masked when causal
    y = concat_h(A·v)·W_o + b_o                    W_o (d, d)

This is PyTorch's ``nn.MultiheadAttention(d, heads, batch_first=True)`` with
``in_proj_weight = W_qkvᵀ``, ``in_proj_bias = b_qkv``, ``out_proj.weight = W_oᵀ``,
``out_proj.bias = b_o`` and a causal ``attn_mask``. Backward, with S the scaled scores:

    dv = Aᵀ·dctx     dA = dctx·vᵀ     dS = A ⊙ (dA − Σ_j dA⊙A) / √dh
    dq = dS·k        dk = dSᵀ·q

Speed: every head of every sequence at once, as batched matmuls on
(N, heads, T, dh) arrays (np.matmul runs BLAS per matrix); no Python loop over
N, T or heads. q, k and v are laid out head-major once per forward so each of
those matrices is contiguous.
"""

from __future__ import annotations

import numpy as np

from nn_tui.engine.layers import Layer, Parameters
from nn_tui.engine.validation import check_count, resolve_dtype, seed_or_rng


class SelfAttention(Layer):
    """``SelfAttention(d, heads, causal=True, seed=0, dtype=np.float64)``.

    ``params`` = {"W_qkv": (d, 3d), "b_qkv": (3d,), "W_o": (d, d), "b_o": (d,)},
    initialised as PyTorch's (Xavier-uniform W_qkv, W_o uniform in ±1/√d, zero
    biases); regularisation touches W_qkv and W_o. After ``forward``,
    ``attention`` holds the attention weights (N, heads, T, T): row t is where
    position t looked.
    """

    type_name = "self_attention"
    regularized = ("W_qkv", "W_o")

    def __init__(self, d, heads, causal=True, seed=0, dtype=np.float64):
        self.d = check_count("d", d)
        self.heads = check_count("heads", heads)
        if self.d % self.heads:
            raise ValueError(f"d ({self.d}) must be a multiple of heads ({self.heads})")
        if not isinstance(causal, bool):
            raise ValueError(f"causal must be true or false, not {causal!r}")
        self.causal = causal
        self.head_dim = self.d // self.heads
        self.n_in = self.n_out = self.d
        self.dtype = resolve_dtype(dtype)
        rng = seed_or_rng(seed)
        d = self.d
        qkv_bound = np.sqrt(6.0 / (d + 3 * d))  # Xavier on PyTorch's (3d, d) in_proj_weight
        out_bound = 1.0 / np.sqrt(d)             # nn.Linear's default for out_proj
        self.params = Parameters(W_qkv=rng.uniform(-qkv_bound, qkv_bound, (d, 3 * d)).astype(self.dtype),
                                 b_qkv=np.zeros(3 * d, dtype=self.dtype),
                                 W_o=rng.uniform(-out_bound, out_bound, (d, d)).astype(self.dtype),
                                 b_o=np.zeros(d, dtype=self.dtype))
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}
        self.propagate_input_grad = True
        self.input = None
        self.output = None
        self.attention = None
        self._mask_bias = {}  # T -> (T, T) array: 0 where a position may look, -inf in its future

    def output_shape(self, input_shape):
        if len(input_shape) != 2 or input_shape[1] != self.d:
            raise ValueError(f"{self!r} takes sequences shaped (T, {self.d}), not {tuple(input_shape)}")
        return tuple(input_shape)

    def _future_mask(self, t):
        bias = self._mask_bias.get(t)
        if bias is None:
            bias = np.triu(np.full((t, t), -np.inf, dtype=self.dtype), k=1)
            self._mask_bias = {t: bias}  # one length at a time is all training uses
        return bias

    def forward(self, x):
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 3 or x.shape[2] != self.d:
            raise ValueError(f"SelfAttention({self.d}) expects (N, T, {self.d}) input, not {x.shape}")
        n, t, d = x.shape
        h, dh = self.heads, self.head_dim
        self.input = x
        qkv = x.reshape(n * t, d) @ self.params["W_qkv"]
        qkv += self.params["b_qkv"]
        # (N·T, 3d) -> (3, N, heads, T, dh): q, k, v with each head's matrix contiguous.
        qkv = np.ascontiguousarray(qkv.reshape(n, t, 3, h, dh).transpose(2, 0, 3, 1, 4))
        q, k, v = qkv
        scores = q @ k.transpose(0, 1, 3, 2)
        scores *= self.dtype.type(1.0 / np.sqrt(dh))
        if self.causal:
            scores += self._future_mask(t)
        scores -= scores.max(axis=-1, keepdims=True)
        weights = np.exp(scores, out=scores)
        weights /= weights.sum(axis=-1, keepdims=True)
        context = weights @ v  # (N, heads, T, dh)
        self._qkv, self.attention = qkv, weights
        self._context = context.transpose(0, 2, 1, 3).reshape(n * t, d)  # heads side by side
        out = self._context @ self.params["W_o"]
        out += self.params["b_o"]
        self.output = out.reshape(n, t, d)
        return self.output

    def backward_(self, grad_out):
        n, t, d = grad_out.shape
        h, dh = self.heads, self.head_dim
        grad_out = grad_out.reshape(n * t, d)
        np.matmul(self._context.T, grad_out, out=self.grads["W_o"])
        np.sum(grad_out, axis=0, out=self.grads["b_o"])
        d_context = (grad_out @ self.params["W_o"].T).reshape(n, t, h, dh).transpose(0, 2, 1, 3)
        q, k, v = self._qkv
        weights = self.attention
        d_qkv = np.empty((3, n, h, t, dh), dtype=self.dtype)
        np.matmul(weights.transpose(0, 1, 3, 2), d_context, out=d_qkv[2])  # dv
        d_scores = d_context @ v.transpose(0, 1, 3, 2)  # dA
        # Softmax backward, in place: dS = A ⊙ (dA − Σ_j A⊙dA); masked entries have A = 0.
        row = np.einsum("nhij,nhij->nhi", d_scores, weights, optimize=True)
        d_scores -= row[..., None]
        d_scores *= weights
        d_scores *= self.dtype.type(1.0 / np.sqrt(dh))
        np.matmul(d_scores, k, out=d_qkv[0])                      # dq
        np.matmul(d_scores.transpose(0, 1, 3, 2), q, out=d_qkv[1])  # dk
        d_qkv = d_qkv.transpose(1, 3, 0, 2, 4).reshape(n * t, 3 * d)  # back to x·W_qkv's layout
        x = self.input.reshape(n * t, d)
        np.matmul(x.T, d_qkv, out=self.grads["W_qkv"])
        np.sum(d_qkv, axis=0, out=self.grads["b_qkv"])
        if not self.propagate_input_grad:
            return None
        return (d_qkv @ self.params["W_qkv"].T).reshape(n, t, d)

    # --- model files ------------------------------------------------------------
    def config(self):
        return {"d": self.d, "heads": self.heads, "causal": self.causal}

    @staticmethod
    def array_shapes(config):
        if set(config) != {"d", "heads", "causal"}:
            raise ValueError("settings must be d, heads, causal")
        d, heads = check_count("d", config["d"]), check_count("heads", config["heads"])
        if d % heads:
            raise ValueError(f"d ({d}) must be a multiple of heads ({heads})")
        if not isinstance(config["causal"], bool):
            raise ValueError("causal must be true or false")
        return {"W_qkv": (d, 3 * d), "b_qkv": (3 * d,), "W_o": (d, d), "b_o": (d,)}

    @classmethod
    def from_config(cls, config, arrays, dtype):
        layer = cls(config["d"], config["heads"], causal=config["causal"], dtype=dtype)
        layer.params.update({name: arrays[name] for name in layer.params})
        return layer

    def __repr__(self):
        causal = "" if self.causal else ", causal=False"
        return f"SelfAttention({self.d}, heads={self.heads}{causal})"
