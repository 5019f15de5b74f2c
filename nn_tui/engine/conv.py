"""Image layers: Conv2D, MaxPool2D and Flatten, channels-first (N, C, H, W).

Conv2D is a GEMM over patches (im2col), k×k, stride 1, "same" padding k//2,
its activation fused in as in Dense:

    cols = patches of x           (N·H'·W', k·k·C), one row per output pixel
    z = cols @ Wm + b             Wm = W as (k·k·C, out), W is (out, C, k, k)
    dL/dWm = colsᵀ @ dL/dz        dL/dcols = dL/dz @ Wmᵀ (per kernel offset),
                                  added back into the padded image at each offset

Inside, images are kept channels-last (N, H, W, C) in memory, so a patch row
and a GEMM result are contiguous without transposing; every array a layer
returns is a (N, C, H, W) view of that memory, and the next layer reads it
through the view. The padded input and the patch matrix are reused from step
to step (a new 10 MB array each step costs page faults that take as long as
the GEMM).

MaxPool2D is 2×2, stride 2, floor (a last odd row/column is dropped); its
gradient goes to the first maximum of each window, as in PyTorch. Flatten
orders features C, H, W, as PyTorch's ``nn.Flatten``.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from nn_tui.engine.activations import ACTIVATIONS
from nn_tui.engine.initializers import INITIALIZERS
from nn_tui.engine.layers import Layer, Parameters
from nn_tui.engine.validation import check_choice, check_count, resolve_dtype, seed_or_rng

# Workspaces kept per input shape: the training batch, a last short batch and
# the evaluation set, without growing when many shapes pass through.
MAX_WORKSPACES = 4


def _check_images(name, x, channels=None):
    if x.ndim != 4:
        raise ValueError(f"{name} takes images shaped (N, C, H, W), not {x.shape}")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(f"{name} takes {channels} channel(s), not {x.shape[1]}")


def _check_image_shape(name, shape):
    if len(shape) != 3:
        raise ValueError(f"{name} takes images shaped (C, H, W), not {tuple(shape)}")


class Conv2D(Layer):
    """``Conv2D(in_ch, out_ch, kernel=3, activation="relu", init="auto", seed=None, dtype=np.float64)``

    ``params`` = {"W": (out_ch, in_ch, k, k), "b": (out_ch,)}. Weights are
    initialised as a Dense layer's over the patches (fan-in in_ch·k·k), from
    ``seed`` (a Generator, an int, or None = 0; ``rng=`` is its old name, still accepted).
    """

    type_name = "conv2d"
    regularized = ("W",)

    def __init__(self, in_ch, out_ch, kernel=3, activation="relu", init="auto", seed=None, dtype=np.float64,
                 *, rng=None):
        self.in_ch = check_count("in_ch", in_ch)
        self.out_ch = check_count("out_ch", out_ch)
        self.kernel = k = check_count("kernel", kernel)
        self.padding = k // 2
        self.activation = check_choice("activation", activation, ACTIVATIONS)
        if not ACTIVATIONS[activation].hidden_ok:
            raise ValueError(f"{activation} cannot be a convolution's activation")
        init = check_choice("init", init, INITIALIZERS)
        self.dtype = resolve_dtype(dtype)
        act = ACTIVATIONS[activation]
        self._activation_forward_ = act.forward_
        self._activation_backward_ = act.backward_

        # Rows of the patch matrix are ordered (c, i, j) like W's last axes.
        weights = INITIALIZERS[init](self.in_ch * k * k, self.out_ch, seed_or_rng(seed, rng), activation)
        self.params = Parameters(W=weights.T.reshape(self.out_ch, self.in_ch, k, k).astype(self.dtype),
                                 b=np.zeros(self.out_ch, dtype=self.dtype))
        self.grads = {"W": np.zeros_like(self.params["W"]), "b": np.zeros_like(self.params["b"])}
        self._bind_arrays()
        self.propagate_input_grad = True
        self._workspaces = {}
        self._ones = np.ones(0, dtype=self.dtype)
        self.input = None
        self.output = None

    def _bind_arrays(self):
        self._W, self._b = self.params["W"], self.params["b"]
        self._grad_W, self._grad_b = self.grads["W"], self.grads["b"]

    def output_shape(self, input_shape):
        _check_image_shape("Conv2D", input_shape)
        channels, height, width = input_shape
        if channels != self.in_ch:
            raise ValueError(f"Conv2D takes {self.in_ch} channel(s), not {channels}")
        out_h, out_w = height + 2 * self.padding - self.kernel + 1, width + 2 * self.padding - self.kernel + 1
        if out_h < 1 or out_w < 1:
            raise ValueError(f"a {self.kernel}×{self.kernel} kernel does not fit {height}×{width} images")
        return (self.out_ch, out_h, out_w)

    def _workspace(self, shape):
        """(padded input, patch matrix, the patches as a view of the padded input,
        the patch matrix as (N, H', W', k, k, C)) for inputs of this shape."""
        space = self._workspaces.get(shape)
        if space is None:
            n, channels, height, width = shape
            _, out_h, out_w = self.output_shape((channels, height, width))
            k, p = self.kernel, self.padding
            padded = np.zeros((n, height + 2 * p, width + 2 * p, channels), dtype=self.dtype)
            # (N, H', W', C, k, k) -> (N, H', W', k, k, C): C innermost, as in memory
            windows = sliding_window_view(padded, (k, k), axis=(1, 2)).transpose(0, 1, 2, 4, 5, 3)
            cols = np.empty((n * out_h * out_w, k * k * channels), dtype=self.dtype)
            space = (padded, cols, windows, cols.reshape(n, out_h, out_w, k, k, channels))
            if len(self._workspaces) >= MAX_WORKSPACES:
                self._workspaces.pop(next(iter(self._workspaces)))
            self._workspaces[shape] = space
        return space

    def forward(self, x):
        """activation(conv(x) + b) as (N, out_ch, H', W'); kept as ``self.output``."""
        _check_images("Conv2D", x, self.in_ch)
        self.input = x
        padded, cols, windows, cols6 = self._workspace(x.shape)
        n, _, height, width = x.shape
        p = self.padding
        padded[:, p:p + height, p:p + width, :] = x.transpose(0, 2, 3, 1)
        np.copyto(cols6, windows)
        self._cols = cols
        # W (out, C, i, j) -> Wm (i·j·C, out), the patch order
        self._Wm = self._W.transpose(2, 3, 1, 0).reshape(-1, self.out_ch)
        z = cols @ self._Wm
        z += self._b
        a = self._activation_forward_(z)  # z is ours: overwrite it
        _, out_h, out_w = cols6.shape[:3]
        self.output = a.reshape(n, out_h, out_w, self.out_ch).transpose(0, 3, 1, 2)
        return self.output

    def backward_(self, grad_out):
        """Takes dL/da, which it may overwrite; fills ``grads``; returns dL/dx
        (None when ``propagate_input_grad`` is off)."""
        grad_z = self._activation_backward_(grad_out, self.output)
        n, out_ch, out_h, out_w = grad_z.shape
        grad_z = grad_z.transpose(0, 2, 3, 1).reshape(-1, out_ch)  # a view when channels-last
        k, channels = self.kernel, self.in_ch
        grad_Wm = grad_z.T @ self._cols  # (out, i·j·C)
        self._grad_W[...] = grad_Wm.reshape(out_ch, k, k, channels).transpose(0, 3, 1, 2)
        ones = self._ones
        if len(ones) != len(grad_z):
            ones = self._ones = np.ones(len(grad_z), dtype=self.dtype)
        np.matmul(ones, grad_z, out=self._grad_b)
        if not self.propagate_input_grad:
            return None
        # dL/dcols one kernel offset at a time, (k·k, N·H'·W', C): each offset's
        # block is then added into the padded image as whole rows of W'·C
        # values, not C at a time.
        W_by_offset = self._W.transpose(2, 3, 0, 1).reshape(k * k, out_ch, channels)
        grad_cols = np.matmul(grad_z, W_by_offset)
        _, _, height, width = self.input.shape
        p = self.padding
        grad_padded = np.zeros((n, height + 2 * p, width + 2 * p, channels), dtype=self.dtype)
        for i in range(k):
            for j in range(k):
                grad_padded[:, i:i + out_h, j:j + out_w, :] += grad_cols[i * k + j].reshape(n, out_h, out_w, channels)
        return grad_padded[:, p:p + height, p:p + width, :].transpose(0, 3, 1, 2)

    # --- model files ------------------------------------------------------------
    def config(self):
        return {"in_ch": self.in_ch, "out_ch": self.out_ch, "kernel": self.kernel, "activation": self.activation}

    @staticmethod
    def array_shapes(config):
        in_ch, out_ch = check_count("in_ch", config.get("in_ch")), check_count("out_ch", config.get("out_ch"))
        k = check_count("kernel", config.get("kernel"))
        check_choice("activation", config.get("activation"), ACTIVATIONS)
        return {"W": (out_ch, in_ch, k, k), "b": (out_ch,)}

    @classmethod
    def from_config(cls, config, arrays, dtype):
        layer = cls(config["in_ch"], config["out_ch"], config["kernel"], config["activation"], dtype=dtype)
        layer.params["W"] = arrays["W"]
        layer.params["b"] = arrays["b"]
        return layer

    def __repr__(self):
        k = self.kernel
        return f"Conv2D({self.in_ch}, {self.out_ch}, {k}×{k}, activation={self.activation!r})"


class _ParameterFree(Layer):
    """A layer without parameters (pooling, reshaping)."""

    def __init__(self, dtype=np.float64):
        self.dtype = resolve_dtype(dtype)
        self.params = Parameters()
        self.grads = {}
        self.propagate_input_grad = True
        self.input = None
        self.output = None

    def config(self):
        return {}

    @staticmethod
    def array_shapes(config):
        if config != {}:
            raise ValueError("takes no settings")
        return {}

    @classmethod
    def from_config(cls, config, arrays, dtype):
        return cls(dtype=dtype)

    def __repr__(self):
        return f"{type(self).__name__}()"


class MaxPool2D(_ParameterFree):
    """``MaxPool2D()``: the maximum of each 2×2 window, stride 2, floor."""

    type_name = "maxpool2d"

    def output_shape(self, input_shape):
        _check_image_shape("MaxPool2D", input_shape)
        channels, height, width = input_shape
        if height < 2 or width < 2:
            raise ValueError(f"2×2 pooling needs images of at least 2×2, not {height}×{width}")
        return (channels, height // 2, width // 2)

    def __init__(self, dtype=np.float64):
        super().__init__(dtype)
        self._workspaces = {}

    def _stack(self, shape):
        """A reused (4, N·H'·W'·C) array: the window's four positions, each contiguous."""
        stack = self._workspaces.get(shape)
        if stack is None:
            n, channels, height, width = shape
            stack = np.empty((4, n * (height // 2) * (width // 2) * channels), dtype=self.dtype)
            if len(self._workspaces) >= MAX_WORKSPACES:
                self._workspaces.pop(next(iter(self._workspaces)))
            self._workspaces[shape] = stack
        return stack

    @staticmethod
    def _windows(array, n, out_h, out_w, channels):
        """(N, H, W, C) memory as (2, 2, N, H', W', C): window row, window column, then the pixel."""
        windows = array[:, :2 * out_h, :2 * out_w, :].reshape(n, out_h, 2, out_w, 2, channels)
        return windows.transpose(2, 4, 0, 1, 3, 5)

    def forward(self, x):
        _check_images("MaxPool2D", x)
        self.input = x
        n, channels, height, width = x.shape
        self.output_shape((channels, height, width))
        out_h, out_w = height // 2, width // 2
        # One strided copy into four contiguous planes, so every later operation
        # runs over long contiguous runs instead of C values at a time.
        stack = self._stack(x.shape)
        np.copyto(stack.reshape(2, 2, n, out_h, out_w, channels),
                  self._windows(x.transpose(0, 2, 3, 1), n, out_h, out_w, channels))
        out = np.maximum(stack[0], stack[1])
        np.maximum(out, stack[2], out=out)
        np.maximum(out, stack[3], out=out)
        self._stack_used, self._max = stack, out
        self.output = out.reshape(n, out_h, out_w, channels).transpose(0, 3, 1, 2)
        return self.output

    def backward_(self, grad_out):
        stack, maximum = self._stack_used, self._max
        n, channels, height, width = self.input.shape
        out_h, out_w = height // 2, width // 2
        grad = np.ascontiguousarray(grad_out.transpose(0, 2, 3, 1)).reshape(-1)
        grad_stack = np.empty_like(stack)
        taken = stack[0] == maximum
        np.multiply(grad, taken, out=grad_stack[0])
        hit = np.empty_like(taken)
        for position in (1, 2, 3):  # the first maximum in the window takes the gradient
            np.equal(stack[position], maximum, out=hit)
            np.greater(hit, taken, out=hit)
            taken |= hit
            np.multiply(grad, hit, out=grad_stack[position])
        odd = height % 2 or width % 2  # a dropped row or column gets no gradient
        grad_x = (np.zeros if odd else np.empty)((n, height, width, channels), dtype=self.dtype)
        np.copyto(self._windows(grad_x, n, out_h, out_w, channels),
                  grad_stack.reshape(2, 2, n, out_h, out_w, channels))
        return grad_x.transpose(0, 3, 1, 2)


class Flatten(_ParameterFree):
    """``Flatten()``: (N, C, H, W) -> (N, C·H·W), in C, H, W order."""

    type_name = "flatten"

    def output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)

    def forward(self, x):
        self.input = x
        self.output = x.reshape(len(x), -1)
        return self.output

    def backward_(self, grad_out):
        return grad_out.reshape(self.input.shape)
