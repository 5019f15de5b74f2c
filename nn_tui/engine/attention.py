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
N, T or heads. q, k and v are strided views of x·W_qkv (BLAS takes the row
stride; no layout copies), and dq, dk, dv land in that layout again. The T×T
arrays are what costs (memory passes), so: 1/√dh scales q, not the scores; the
row sums come out of E·[v 1] and dctx'·vᵀ − r' out of [dctx' −r']·[v 1]ᵀ (no
pass of their own); the softmax's 1/Σ scales the (T, dh) context, not the
weights, and backward folds it into (T, dh) arrays too (the normalised weights
are built only when ``attention`` is read); Σ_j A⊙dA is dctx·ctx; the shift by
the max before exp is skipped when |q|·|k| bounds every score well inside the
float range; the score chunks are held keys × queries (the max runs down
columns); a causal layer skips the masked future in chunks of query rows; and
the working arrays are kept between calls (fresh megabytes cost page faults).
"""

from __future__ import annotations

import numpy as np

from nn_tui.engine.layers import Layer, Parameters
from nn_tui.engine.validation import check_count, resolve_dtype, seed_or_rng

# Causal attention runs its query rows in chunks of this many: chunk [r0, r1) only
# scores keys [0, r1), so at T = 256 the T×T work is 5/8 of the full square.
QUERY_CHUNK = 64


def _safe_exponent(dtype):
    """Scores within ± this need no shift before exp: two thirds of the largest
    exponent (59 in float32, 473 in float64), so exp(S), its sums over any sequence
    and the backward's E·dctx/Σ stay far inside the normal range (no overflow, no
    subnormals, no precision lost)."""
    return (2.0 / 3.0) * float(np.log(np.finfo(dtype).max))


def _largest_score_bound(q_and_k, heads):
    """A bound on |q·k| over every query and key of each head (Cauchy–Schwarz:
    |q·k| ≤ |q|·|k|), from q_and_k (rows, 2d): q's columns (scaled as the scores
    are), then k's, each heads contiguous."""
    head_dim = q_and_k.shape[1] // (2 * heads)
    squares = np.square(q_and_k).reshape(-1, head_dim) @ np.ones(head_dim, dtype=q_and_k.dtype)
    largest = squares.reshape(len(q_and_k), 2 * heads).max(axis=0)  # the longest q, k of each head
    return float(np.sqrt(np.max(largest[:heads] * largest[heads:])))


def _ones_after(width):
    """Prepares a new [v 1] buffer: zero padding, ones in column ``width``."""
    def fresh(array):
        array[...] = 0.0
        array[..., width] = 1.0
    return fresh


def _padded(width):
    """``width`` rounded up to a multiple of 8."""
    return -(-width // 8) * 8


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
        self._attention = None
        self._exps = None
        self._inv_totals = None
        self._buffers = {}  # name -> working array, see _buffer
        self._chunks_used = None
        self._mask_bias = {}  # size -> (size, size) array: 0 where a position may look, -inf in its future

    def output_shape(self, input_shape):
        if len(input_shape) != 2 or input_shape[1] != self.d:
            raise ValueError(f"{self!r} takes sequences shaped (T, {self.d}), not {tuple(input_shape)}")
        return tuple(input_shape)

    def _diagonal_mask(self, size):
        """(size, size), keys × queries: 0 on and above the diagonal, -inf below (a
        key in its query's future)."""
        bias = self._mask_bias.get(size)
        if bias is None:
            bias = np.tril(np.full((size, size), -np.inf, dtype=self.dtype), k=-1)
            self._mask_bias[size] = bias
        return bias

    def _buffer(self, name, shape, fresh=None):
        """The layer's working array ``name``, kept from call to call while its shape
        stays (a fresh array of a megabyte every step costs its page faults: more
        than a pass over it). ``fresh(array)`` prepares a newly made one. Only arrays
        nobody outside the layer holds live here, never an output."""
        array = self._buffers.get(name)
        if array is None or array.shape != shape:
            array = self._buffers[name] = np.empty(shape, dtype=self.dtype)
            if fresh is not None:
                fresh(array)
        return array

    def _chunks(self, t):
        """Query rows in chunks; with a causal mask, chunk [r0, r1) sees keys [0, r1) only."""
        if not self.causal:
            return [(0, t, t)]
        return [(r0, min(r0 + QUERY_CHUNK, t), min(r0 + QUERY_CHUNK, t)) for r0 in range(0, t, QUERY_CHUNK)]

    def forward(self, x):
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 3 or x.shape[2] != self.d:
            raise ValueError(f"SelfAttention({self.d}) expects (N, T, {self.d}) input, not {x.shape}")
        n, t, d = x.shape
        h, dh = self.heads, self.head_dim
        self.input = x
        qkv = np.matmul(x.reshape(n * t, d), self.params["W_qkv"], out=self._buffer("qkv", (n * t, 3 * d)))
        qkv += self.params["b_qkv"]
        qkv[:, :d] *= self.dtype.type(1.0 / np.sqrt(dh))  # q/√dh: T·dh multiplies instead of T·T
        # (N·T, 3d) seen as (3, N, heads, T, dh): each head's q, k, v a strided matrix (no copy).
        q, k, v = qkv.reshape(n, t, 3, h, dh).transpose(2, 0, 3, 1, 4)
        # v with a column of ones: E·[v 1] is the unnormalised context and, in its last
        # column, E's row sums, in one product instead of a pass over the T×T array.
        # The width is padded to a multiple of 8, where BLAS is at its fastest.
        v_ones = self._buffer("v_ones", (n, h, t, _padded(dh + 1)), fresh=_ones_after(dh))
        v_ones[..., :dh] = v
        context_sums = self._buffer("context_sums", v_ones.shape)
        # Per chunk: E = exp(S − max S) unnormalised; A = E / Σ is never formed in
        # training (backward folds 1/Σ into T·dh arrays instead). Each chunk is held
        # transposed, keys × queries: the max and the shift then run down columns,
        # vectorised across queries (a reduction along short rows costs twice that),
        # and BLAS takes either orientation. The chunks live in buffers the layer keeps:
        # fresh T×T arrays every step cost more in page faults than the exp.
        chunks = self._chunks(t)
        exps = [self._buffer(("exps", r0), (n, h, keys, r1 - r0)) for r0, r1, keys in chunks]
        shift = _largest_score_bound(qkv[:, :2 * d], h) > _safe_exponent(self.dtype)
        for (r0, r1, keys), e in zip(chunks, exps):
            np.matmul(k[:, :, :keys], q[:, :, r0:r1].transpose(0, 1, 3, 2), out=e)
            if self.causal:
                e[..., r0:r1, :] += self._diagonal_mask(r1 - r0)  # only this block has a future
            if shift:
                e -= e.max(axis=-2, keepdims=True)
            np.exp(e, out=e)
            np.matmul(e.transpose(0, 1, 3, 2), v_ones[:, :, :keys], out=context_sums[:, :, r0:r1])
        inv_totals = np.reciprocal(context_sums[..., dh:dh + 1])
        context = self._buffer("context", (n, t, h, dh))  # heads side by side, as W_o takes them
        np.multiply(context_sums[..., :dh], inv_totals, out=context.transpose(0, 2, 1, 3))
        self._q, self._k, self._v_ones = q, k, v_ones
        self._exps, self._chunks_used, self._inv_totals = exps, chunks, inv_totals
        self._attention = None
        self._context = context.reshape(n * t, d)
        out = self._context @ self.params["W_o"]
        out += self.params["b_o"]
        self.output = out.reshape(n, t, d)
        return self.output

    @property
    def attention(self):
        """The last forward's attention weights (N, heads, T, T): row t is where
        position t looked (its future 0 when causal). Built when first asked for."""
        if self._attention is None and self._exps is not None:
            n, h, t, _ = self._inv_totals.shape
            weights = np.zeros((n, h, t, t), dtype=self.dtype)
            for (r0, r1, keys), e in zip(self._chunks_used, self._exps):
                np.multiply(e.transpose(0, 1, 3, 2), self._inv_totals[:, :, r0:r1], out=weights[:, :, r0:r1, :keys])
            self._attention = weights
        return self._attention

    def backward_(self, grad_out):
        n, t, d = grad_out.shape
        h, dh = self.heads, self.head_dim
        grad_out = grad_out.reshape(n * t, d)
        np.matmul(self._context.T, grad_out, out=self.grads["W_o"])
        ones = np.ones(n * t, dtype=self.dtype)  # sums over rows as onesᵀ·M: BLAS beats a column reduction
        np.matmul(ones, grad_out, out=self.grads["b_o"])
        d_context = np.matmul(grad_out, self.params["W_o"].T, out=self._buffer("d_context", (n * t, d)))
        q, k, v_ones = self._q, self._k, self._v_ones  # q is scaled by 1/√dh
        inv_totals = self._inv_totals
        # With A = E/Σ: dS = A ⊙ (dA − Σ_j A⊙dA) = E ⊙ (dctx'·vᵀ − r'), where dctx' = dctx/Σ
        # and r' = (dctx·ctx)/Σ (since ctx = A·v): the 1/Σ lands on T·dh arrays. And
        # dctx'·vᵀ − r' is one product: [dctx' −r']·[v 1]ᵀ, v's ones column from forward.
        minus_row = (d_context * self._context).reshape(n * t * h, dh) @ np.full(dh, -1.0, dtype=self.dtype)
        d_context_row = self._buffer("d_context_row", v_ones.shape)  # its padding is never read
        np.multiply(d_context.reshape(n, t, h, dh).transpose(0, 2, 1, 3), inv_totals,
                    out=d_context_row[..., :dh])
        # (Not np.negative in place on this strided column: NumPy 2.4.6 gets that wrong in float64.)
        np.multiply(minus_row.reshape(n, t, h).transpose(0, 2, 1), inv_totals[..., 0],
                    out=d_context_row[..., dh])
        # dq written straight into x·W_qkv's layout (N·T, 3d), a strided view; dk and dv
        # gather over the chunks in contiguous arrays (adding into strided views costs),
        # from the widest chunk (it sees every key: written, not added) down, and are
        # copied in at the end.
        d_qkv = self._buffer("d_qkv", (n * t, 3 * d))
        dq, dk, dv = d_qkv.reshape(n, t, 3, h, dh).transpose(2, 0, 3, 1, 4)
        dk_sum, dv_sum = self._buffer("dk_dv_sums", (2, n, h, t, dh))
        widest = max(r1 - r0 for r0, r1, _ in self._chunks_used)
        d_scores_buffer = self._buffer("d_scores", (n, h, t, widest))  # each chunk's dSᵀ in turn
        chunks = sorted(zip(self._chunks_used, self._exps), key=lambda chunk: -chunk[0][2])
        for index, ((r0, r1, keys), e) in enumerate(chunks):  # e: keys × queries
            d_ctx = d_context_row[:, :, r0:r1]
            if index == 0:  # keys == t
                np.matmul(e, d_ctx[..., :dh], out=dv_sum)
            else:
                dv_sum[:, :, :keys] += e @ d_ctx[..., :dh]
            # dSᵀ from the dh + 1 columns that count (the zero padding would cost here).
            d_scores = d_scores_buffer[:, :, :keys, :r1 - r0]
            np.matmul(v_ones[:, :, :keys, :dh + 1], d_ctx[..., :dh + 1].transpose(0, 1, 3, 2), out=d_scores)
            d_scores *= e  # masked entries have E = 0
            np.matmul(d_scores.transpose(0, 1, 3, 2), k[:, :, :keys], out=dq[:, :, r0:r1])
            if index == 0:
                np.matmul(d_scores, q[:, :, r0:r1], out=dk_sum)  # q already scaled
            else:
                dk_sum[:, :, :keys] += d_scores @ q[:, :, r0:r1]
        dk[...] = dk_sum
        dv[...] = dv_sum
        d_qkv[:, :d] *= self.dtype.type(1.0 / np.sqrt(dh))
        x = self.input.reshape(n * t, d)
        np.matmul(x.T, d_qkv, out=self.grads["W_qkv"])
        np.matmul(ones, d_qkv, out=self.grads["b_qkv"])
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
