"""The layer protocol and the fully connected layer.

Every layer (Dense here; Conv2D, MaxPool2D, Flatten in conv.py; recurrent
layers elsewhere) follows one protocol, which is all a Network relies on:

    params         name -> array (a ``Parameters``: assignment copies in place)
    grads          the same names and shapes, filled by ``backward``
    regularized    the names of the params L1/L2 touch (Dense: ("W",); biases never)
    forward(x)     the output; keeps what backward needs
    backward(dy)   takes dL/d(output), fills ``grads``, returns dL/dx
    n_params, dtype
    use_storage(params, grads)    a container hands in views of its flat buffers once
                                  (storage.adopt_storage; ``_use_storage`` is still read)
    training       True when built; a network's train()/eval() set it on every layer

Optional: ``backward_(dy)`` (may overwrite dy), ``propagate_input_grad`` (off on
a network's first layer: nobody needs its dL/dx), ``mask``, ``output_shape``
(per-sample shape out for a shape in), ``buffers`` (state that is not a
parameter, e.g. batch norm's running statistics: no gradient, saved and
resumed), ``use_rng(generator)`` (a layer that draws random numbers takes the
network's generator) and, for model files, ``type_name``, ``config()``,
``arrays()`` (params and buffers), ``array_shapes(config)`` and ``from_config``.
``Layer`` implements the generic parts.

Dense: a fully connected layer with its activation fused in.

    z = x @ W + b          dL/dW = xᵀ @ dL/dz,  dL/db = Σ_rows dL/dz,  dL/dx = dL/dz @ Wᵀ
    a = activation(z)      dL/dz = activation.backward(dL/da, a)

Fusing the activation into the layer halves the Python calls per step, which
dominates the cost of the small networks this engine trains.
"""

from __future__ import annotations

import copy

import numpy as np

from nn_tui.engine.activations import ACTIVATIONS
from nn_tui.engine.initializers import INITIALIZERS
from nn_tui.engine.validation import check_choice, check_count, resolve_dtype, seed_or_rng


class Parameters(dict):
    """A layer's parameter arrays by name ("W", "b").

    ``params[k] = values`` copies ``values`` into the existing array instead of
    rebinding it: the network and its optimizer hold views of these exact
    arrays, so rebinding would silently detach the parameter from training.
    Keys are fixed once the layer is built.
    """

    __slots__ = ()

    def __setitem__(self, key, values):
        target = self[key]
        values = np.asarray(values)
        if values.shape != target.shape:
            raise ValueError(f"{key} must have shape {target.shape}, not {values.shape}")
        np.copyto(target, values, casting="same_kind")

    def update(self, *args, **kwargs):
        for key, values in dict(*args, **kwargs).items():
            self[key] = values

    def _fixed_keys(self, *args, **kwargs):
        raise TypeError("a layer's parameter names are fixed")

    __delitem__ = pop = popitem = clear = setdefault = _fixed_keys

    # A plain dict copy would go through __setitem__ with missing keys.
    def __reduce__(self):
        return (Parameters, (dict(self),))

    def __deepcopy__(self, memo):
        return Parameters({key: copy.deepcopy(value, memo) for key, value in self.items()})


class Layer:
    """The generic parts of the layer protocol (see the module doc).

    A subclass sets ``self.dtype``, fills ``self.params`` (a Parameters) and
    ``self.grads`` (same keys and shapes) in ``__init__``, and overrides
    ``_bind_arrays`` if it caches references to those arrays.
    """

    regularized: tuple = ()
    mask = None
    propagate_input_grad = True
    training = True  # layers that differ in training (dropout, batch norm) read it
    input = None   # x of the last forward
    output = None  # the last forward's output

    def use_storage(self, params, grads):
        """Move parameters and gradients into the given arrays (views of a
        container's contiguous buffers, same keys). Called once, by
        ``storage.adopt_storage``, when a network adopts the layer."""
        for key in self.params:
            np.copyto(params[key], self.params[key])
            dict.__setitem__(self.params, key, params[key])
            self.grads[key] = grads[key]
        self._bind_arrays()

    def _bind_arrays(self):
        """Re-take any cached references to params/grads (after _use_storage)."""

    @property
    def n_params(self):
        return sum(value.size for value in self.params.values())

    def backward(self, grad_out):
        """Takes dL/d(output); fills ``grads``; returns dL/dx. Leaves grad_out alone."""
        return self.backward_(np.array(grad_out, dtype=self.dtype))

    def backward_(self, grad_out):
        """``backward`` that may overwrite grad_out."""
        raise NotImplementedError

    def arrays(self):
        """The arrays a model file stores for this layer, by name."""
        return dict(self.params)


class Dense(Layer):
    """``Dense(n_in, n_out, activation="tanh", init="xavier", seed=None, dtype=np.float64, mask=None)``

    ``params`` = {"W": (n_in, n_out), "b": (n_out,)}; after ``backward``,
    ``grads`` holds arrays of the same shapes. The grads arrays are reused:
    each backward overwrites them.

    ``forward(x)`` keeps ``input`` and ``output`` (the post-activation values,
    which the viewer shows); ``backward(dL/da)`` fills ``grads`` and returns
    dL/dx, or None when ``propagate_input_grad`` is off (a network's first
    layer). ``forward_preactivation`` / ``backward_preactivation`` skip the
    activation, for fused output activations.

    ``seed`` is a numpy Generator, an int, or None (= 0); ``rng=`` is its old
    name, still accepted.
    ``mask`` is an optional 0/1 array (n_in, n_out): masked weights start at
    zero and their gradient is zeroed, so no optimizer moves them.
    """

    type_name = "dense"
    regularized = ("W",)

    def __init__(self, n_in, n_out, activation="tanh", init="xavier", seed=None,
                 dtype=np.float64, mask=None, *, rng=None):
        self.n_in = check_count("n_in", n_in)
        self.n_out = check_count("n_out", n_out)
        self.activation = check_choice("activation", activation, ACTIVATIONS)
        init = check_choice("init", init, INITIALIZERS)
        self.dtype = resolve_dtype(dtype)
        rng = seed_or_rng(seed, rng)

        # Bound once so forward/backward never look anything up by name. The
        # in-place variants are safe: they only ever see arrays made here.
        act = ACTIVATIONS[activation]
        self._activation_forward_ = act.forward_
        self._activation_backward_ = act.backward_

        weights = INITIALIZERS[init](self.n_in, self.n_out, rng, activation)
        self.params = Parameters(W=weights.astype(self.dtype),
                                 b=np.zeros(self.n_out, dtype=self.dtype))
        self.grads = {"W": np.zeros((self.n_in, self.n_out), dtype=self.dtype),
                      "b": np.zeros(self.n_out, dtype=self.dtype)}
        self._bind_arrays()

        # The first layer of a network has nobody to pass dL/dx to; the network
        # switches this off there rather than pay for a wasted matmul.
        self.propagate_input_grad = True

        self.mask = None
        if mask is not None:
            self.set_mask(mask)

        self._ones = np.ones(0, dtype=self.dtype)  # for summing gradients over the batch
        self.input = None   # x of the last forward (needed by backward)
        self.output = None  # a of the last forward (backward needs it; so does the viewer)

    def _bind_arrays(self):
        self._W, self._b = self.params["W"], self.params["b"]
        self._grad_W, self._grad_b = self.grads["W"], self.grads["b"]

    def use_storage(self, params, grads):
        super().use_storage(params, grads)
        if self.mask is not None:
            self._W *= self.mask

    def set_mask(self, mask):
        """Set (or, with None, remove) the 0/1 connectivity mask. Newly masked
        weights are set to zero."""
        if mask is None:
            self.mask = None
            return
        mask = np.asarray(mask)
        if mask.shape != (self.n_in, self.n_out):
            raise ValueError(f"mask must have shape {(self.n_in, self.n_out)}, not {mask.shape}")
        if not np.isin(mask, (0, 1)).all():
            raise ValueError("mask must contain only 0 and 1")
        self.mask = mask.astype(self.dtype)
        self._W *= self.mask

    @property
    def n_params(self):
        return self._W.size + self._b.size

    def output_shape(self, input_shape):
        if tuple(input_shape) != (self.n_in,):
            raise ValueError(f"Dense({self.n_in}, {self.n_out}) cannot take inputs shaped {tuple(input_shape)}")
        return (self.n_out,)

    def forward(self, x):
        """a = activation(x @ W + b), a fresh array; kept as ``self.output``."""
        self.input = x
        z = x @ self._W
        z += self._b
        self.output = a = self._activation_forward_(z)  # z is ours: overwrite it
        return a

    def forward_preactivation(self, x):
        """z = x @ W + b only; the network applies a fused output activation itself."""
        self.input = x
        z = x @ self._W
        z += self._b
        return z

    def backward(self, grad_out):
        """Takes dL/da (this layer's output); fills ``grads``; returns dL/dx,
        or None when ``propagate_input_grad`` is off. Leaves grad_out alone."""
        return self.backward_(np.array(grad_out, dtype=self.dtype))

    def backward_(self, grad_out):
        """``backward`` that may overwrite grad_out: for gradients nobody else
        holds, like the ones a network passes down between its layers."""
        return self.backward_preactivation(self._activation_backward_(grad_out, self.output))

    def backward_preactivation(self, grad_z):
        """Like ``backward`` but takes dL/dz, for fused output activations."""
        np.matmul(self.input.T, grad_z, out=self._grad_W)
        ones = self._ones
        if len(ones) != len(grad_z):  # batch size changed
            ones = self._ones = np.ones(len(grad_z), dtype=self.dtype)
        # Σ over rows as onesᵀ @ grad_z: BLAS beats a reduction for small batches.
        np.matmul(ones, grad_z, out=self._grad_b)
        if self.mask is not None:
            self._grad_W *= self.mask
        if self.propagate_input_grad:
            return grad_z @ self._W.T
        return None

    # --- model files ------------------------------------------------------------
    def config(self):
        return {"n_in": self.n_in, "n_out": self.n_out, "activation": self.activation,
                "masked": self.mask is not None}

    def arrays(self):
        arrays = dict(self.params)
        if self.mask is not None:
            arrays["mask"] = self.mask.astype(np.uint8)
        return arrays

    @staticmethod
    def array_shapes(config):
        """The arrays a file must hold for this config, checked without allocating."""
        n_in, n_out = check_count("n_in", config.get("n_in")), check_count("n_out", config.get("n_out"))
        check_choice("activation", config.get("activation"), ACTIVATIONS)
        if not isinstance(config.get("masked"), bool):
            raise ValueError("masked must be true or false")
        shapes = {"W": (n_in, n_out), "b": (n_out,)}
        if config["masked"]:
            shapes["mask"] = (n_in, n_out)
        return shapes

    @classmethod
    def from_config(cls, config, arrays, dtype):
        layer = cls(config["n_in"], config["n_out"], config["activation"], dtype=dtype)
        layer.params["W"] = arrays["W"]
        layer.params["b"] = arrays["b"]
        if config["masked"]:
            layer.set_mask(arrays["mask"])
        return layer

    def __repr__(self):
        masked = ", masked" if self.mask is not None else ""
        return f"Dense({self.n_in}, {self.n_out}, activation={self.activation!r}{masked})"
