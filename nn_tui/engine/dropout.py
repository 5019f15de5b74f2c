"""Inverted dropout: in training, each value is kept with probability 1 − p and
scaled by 1/(1 − p), so its expected value is unchanged and evaluation needs
no rescaling; in evaluation (``training`` False) the layer is the identity.

The masks come from a numpy Generator the network owns (``Network.use_rng``
hands it to every layer that draws), so the same seed drops the same units and
a resumed run continues from the saved generator state, bit for bit.
"""

from __future__ import annotations

import numbers

import numpy as np

from nn_tui.engine.layers import Layer, Parameters
from nn_tui.engine.validation import make_rng, resolve_dtype


def check_rate(p):
    if not isinstance(p, numbers.Real) or isinstance(p, bool) or not 0.0 <= p < 1.0:
        raise ValueError(f"dropout rate must be a number in [0, 1), not {p!r}")
    return float(p)


class Dropout(Layer):
    """``Dropout(p=0.5, seed=None, dtype=np.float64)``: zero each value with
    probability p while training. No parameters. ``keep_mask`` holds the last
    training forward's scaled mask (0 or 1/(1 − p); None in evaluation), for
    views that show which units were dropped. ``seed`` makes the layer's own
    generator, used until a network hands it its own (``use_rng``)."""

    type_name = "dropout"

    def __init__(self, p=0.5, seed=None, dtype=np.float64):
        self.p = check_rate(p)
        self.dtype = resolve_dtype(dtype)
        self.rng = make_rng(seed)
        self.params = Parameters()
        self.grads = {}
        self.propagate_input_grad = True
        self.keep_mask = None
        self.input = None
        self.output = None

    def use_rng(self, rng):
        """Draw masks from ``rng`` (a Generator shared with the network) from now on."""
        self.rng = make_rng(rng)

    def output_shape(self, input_shape):
        return tuple(input_shape)

    def forward(self, x):
        x = np.asarray(x, dtype=self.dtype)
        self.input = x
        if not self.training or self.p == 0.0:
            self.keep_mask = None
            self.output = x
            return x
        keep = 1.0 - self.p
        mask = self.rng.random(x.shape, dtype=self.dtype) < keep
        self.keep_mask = scaled = mask.astype(self.dtype)
        scaled *= self.dtype.type(1.0 / keep)
        self.output = x * scaled
        return self.output

    def backward_(self, grad_out):
        if not self.propagate_input_grad:
            return None
        if self.keep_mask is not None:
            grad_out *= self.keep_mask
        return grad_out

    # --- model files ------------------------------------------------------------
    def config(self):
        return {"p": self.p}

    @staticmethod
    def array_shapes(config):
        if set(config) != {"p"}:
            raise ValueError("settings must be p")
        check_rate(config["p"])
        return {}

    @classmethod
    def from_config(cls, config, arrays, dtype):
        return cls(config["p"], dtype=dtype)

    def __repr__(self):
        return f"Dropout({self.p})"
