"""A tiny causal transformer for characters, from the engine's layers.

    PositionalEmbedding   P[:T]: a learned vector per position, added to the characters'
    TransformerBlock      pre-norm:  h = x + attn(LN₁(x));  y = h + W₂·relu(W₁·LN₂(h))
    CharTransformer       ids -> E[ids] + P[:T] -> blocks -> LN -> softmax at every step

``CharTransformer`` has the character model's contract (nn_tui/kinds/sequence/model.py):
``forward(ids)`` gives next-character probabilities, ``loss_and_backward(targets,
weights)`` the loss and every gradient in one flat buffer (``adopt_storage``), so the
engine's optimizers and ``clip_grad_norm`` see it as one array; ``generate`` samples
with a temperature. There is no state carried between windows: a position sees the
``context`` characters before it, no further. After ``forward`` each block's
``attn.attention`` holds where every position looked, (N, heads, T, T).
"""

from __future__ import annotations

import numpy as np

from nn_tui.engine.attention import SelfAttention
from nn_tui.engine.layers import Dense, Layer, Parameters
from nn_tui.engine.normalization import LayerNorm
from nn_tui.engine.sequence_layers import Embedding, SoftmaxHead, sample_index
from nn_tui.engine.storage import adopt_storage
from nn_tui.engine.validation import check_count, make_rng, resolve_dtype

MLP_RATIO = 4  # the block's hidden layer is 4·d wide, as in GPT and PyTorch's encoder layer


class PositionalEmbedding(Layer):
    """``PositionalEmbedding(context, d, seed=0, dtype=np.float64)``: params {"P": (context, d)},
    N(0, 1) as PyTorch's nn.Embedding. ``forward(t)`` -> P[:t] (t, d), to add to every
    sequence of a batch; ``backward(dy)`` takes dy (N, t, d), fills grads["P"], returns None."""

    regularized = ()

    def __init__(self, context, d, seed=0, dtype=np.float64):
        self.context = check_count("context", context)
        self.d = check_count("d", d)
        self.dtype = resolve_dtype(dtype)
        rng = make_rng(seed)
        self.params = Parameters(P=rng.standard_normal((self.context, self.d)).astype(self.dtype))
        self.grads = {"P": np.zeros((self.context, self.d), dtype=self.dtype)}
        self.length = 0

    def forward(self, length):
        if not 1 <= length <= self.context:
            raise ValueError(f"sequences of 1 to {self.context} characters fit the positions, not {length}")
        self.length = length
        return self.params["P"][:length]

    def backward(self, grad_out):
        grad = self.grads["P"]
        grad[self.length:] = 0.0
        np.sum(grad_out, axis=0, out=grad[:self.length])
        return None

    def __repr__(self):
        return f"PositionalEmbedding({self.context}, {self.d})"


class TransformerBlock:
    """``TransformerBlock(d, heads, seed=0, dtype=np.float64)`` on (N, T, d), causal.
    ``layers`` = (ln1, attn, ln2, fc1, fc2), the order their params are stored in."""

    def __init__(self, d, heads, seed=0, dtype=np.float64):
        self.d = check_count("d", d)
        dtype = resolve_dtype(dtype)
        seeds = make_rng(seed).integers(2**31, size=3)
        self.ln1 = LayerNorm(d, dtype=dtype)
        self.attn = SelfAttention(d, heads, causal=True, seed=int(seeds[0]), dtype=dtype)
        self.ln2 = LayerNorm(d, dtype=dtype)
        self.fc1 = Dense(d, MLP_RATIO * d, "relu", seed=int(seeds[1]), dtype=dtype)
        self.fc2 = Dense(MLP_RATIO * d, d, "linear", seed=int(seeds[2]), dtype=dtype)
        self.layers = (self.ln1, self.attn, self.ln2, self.fc1, self.fc2)

    def forward(self, x):
        n, t, d = x.shape
        h = x + self.attn.forward(self.ln1.forward(x))
        mlp = self.fc2.forward(self.fc1.forward(self.ln2.forward(h).reshape(n * t, d)))
        h += mlp.reshape(n, t, d)
        return h

    def backward(self, grad_out):
        """dL/dx from dL/dy; fills every layer's grads. Leaves grad_out alone."""
        n, t, d = grad_out.shape
        # fc2 is linear (dL/dz = dL/da) and its backward_preactivation only reads
        # grad_out: no copy needed.
        through_mlp = self.fc1.backward_(self.fc2.backward_preactivation(grad_out.reshape(n * t, d)))
        dh = grad_out + self.ln2.backward_(through_mlp.reshape(n, t, d))
        dh += self.ln1.backward_(self.attn.backward_(dh))
        return dh

    def __repr__(self):
        return f"TransformerBlock({self.d}, heads={self.attn.heads})"


class CharTransformer:
    """``CharTransformer(vocab_size, d=48, heads=2, blocks=2, context=256, seed=0, dtype=np.float64)``."""

    cell_name = "attention"

    def __init__(self, vocab_size, d=48, heads=2, blocks=2, context=256, seed=0, dtype=np.float64):
        self.vocab_size = check_count("vocab size", vocab_size)
        self.d = check_count("d", d)
        self.heads = check_count("heads", heads)
        if self.d % self.heads:
            raise ValueError(f"d ({self.d}) must be a multiple of heads ({self.heads})")
        self.n_blocks = check_count("blocks", blocks)
        self.context = check_count("context", context)
        self.dtype = resolve_dtype(dtype)
        seeds = make_rng(seed).integers(2**31, size=3 + self.n_blocks)
        self.embedding = Embedding(self.vocab_size, self.d, seed=int(seeds[0]), dtype=self.dtype)
        self.positions = PositionalEmbedding(self.context, self.d, seed=int(seeds[1]), dtype=self.dtype)
        self.blocks = tuple(TransformerBlock(self.d, self.heads, seed=int(s), dtype=self.dtype) for s in seeds[3:])
        self.final_norm = LayerNorm(self.d, dtype=self.dtype)
        self.head = SoftmaxHead(self.d, self.vocab_size, seed=int(seeds[2]), dtype=self.dtype)
        self.layers = (self.embedding, self.positions, *(layer for block in self.blocks for layer in block.layers),
                       self.final_norm, self.head)
        self.flat_params, self.flat_grads, self.n_weights = adopt_storage(self.layers, self.dtype)

    @property
    def n_params(self):
        return self.flat_params.size

    def forward(self, ids, state=None):
        """Next-character probabilities (N, T, vocab) for ids (N, T), T ≤ context.
        ``state`` is accepted for the character models' contract and must be None."""
        if state is not None:
            raise ValueError("a transformer carries no state between windows")
        ids = np.asarray(ids)
        x = self.embedding.forward(ids) + self.positions.forward(ids.shape[1])
        for block in self.blocks:
            x = block.forward(x)
        return self.head.forward(self.final_norm.forward(x))

    def loss_and_backward(self, targets, weights=None):
        """After ``forward``: the (weighted) mean cross-entropy; fills ``flat_grads``."""
        loss, grad = self.head.loss_and_backward(targets, weights)
        grad = self.final_norm.backward_(grad)
        for block in reversed(self.blocks):
            grad = block.backward(grad)
        self.positions.backward(grad)
        self.embedding.backward(grad)
        return loss

    def attention(self):
        """The last forward's attention weights, one (N, heads, T, T) array per block."""
        return [block.attn.attention for block in self.blocks]

    def generate(self, prompt_ids, n, temperature=0.0, rng=None, stop=None):
        """Continue ``prompt_ids`` by up to ``n`` ids, each from the last ``context`` ids:
        greedy at temperature 0, else sampled (seeded by ``rng``). Stops after an id in ``stop``."""
        rng = make_rng(rng)
        ids = [int(i) for i in np.asarray(prompt_ids).reshape(-1)]
        if not ids:
            raise ValueError("generate needs a prompt of at least one character")
        stop = set() if stop is None else set(stop)
        out = []
        for _ in range(n):
            window = np.array([ids[-self.context:]], dtype=np.int64)
            nxt = int(sample_index(self.forward(window)[0, -1], temperature, rng))
            out.append(nxt)
            ids.append(nxt)
            if nxt in stop:
                break
        return out

    def __repr__(self):
        return (f"CharTransformer({self.vocab_size}, d={self.d}, heads={self.heads}, "
                f"blocks={self.n_blocks}, context={self.context})")
