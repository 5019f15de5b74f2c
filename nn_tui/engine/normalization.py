"""Normalisation layers: ``BatchNorm1d``, ``BatchNorm2d`` (over the batch) and
``LayerNorm`` (over each sample's features). All three compute

    x̂ = (x − μ) / √(σ² + eps)      y = γ·x̂ + β
    dL/dx = (1/√(σ² + eps)) · (g − mean(g) − x̂·mean(g·x̂)),   g = γ·dL/dy

with μ and σ² (biased) taken over the normalised axes, as PyTorch's. Batch
norm keeps running estimates of μ and σ² (momentum 0.1, the variance
unbiased) as ``buffers``: state that is not a parameter, saved in model files
and resumed with the run, and used instead of the batch statistics in
evaluation (``training`` False), where the layer is a fixed affine map.
Regularisation never touches γ and β (``regularized`` is empty).
"""

from __future__ import annotations

import numbers

import numpy as np

from nn_tui.engine.layers import Layer, Parameters
from nn_tui.engine.validation import check_count, resolve_dtype


def _check_fraction(name, value, low, high):
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not low < value < high:
        raise ValueError(f"{name} must be a number between {low} and {high} (exclusive), not {value!r}")
    return float(value)


class _Normalization(Layer):
    """γ and β of one shape, the normalised axes fixed by the subclass."""

    regularized = ()

    def __init__(self, n, eps=1e-5, dtype=np.float64):
        self.n = check_count("features", n)
        self.eps = _check_fraction("eps", eps, 0.0, 1.0)
        self.dtype = resolve_dtype(dtype)
        self.params = Parameters(gamma=np.ones(self.n, dtype=self.dtype), beta=np.zeros(self.n, dtype=self.dtype))
        self.grads = {"gamma": np.zeros(self.n, dtype=self.dtype), "beta": np.zeros(self.n, dtype=self.dtype)}
        self.propagate_input_grad = True
        self.input = None
        self.output = None
        self._normalized = None  # x̂ of the last forward
        self._inv_std = None     # 1/√(σ² + eps), shaped to broadcast against x

    def _affine(self, normalized, shape):
        y = normalized * self.params["gamma"].reshape(shape)
        y += self.params["beta"].reshape(shape)
        return y

    def _backward_affine(self, grad_out, axes, shape):
        """Fills dγ, dβ; returns g = γ·dL/dy (a fresh array)."""
        np.sum(grad_out * self._normalized, axis=axes, out=self.grads["gamma"])
        np.sum(grad_out, axis=axes, out=self.grads["beta"])
        return grad_out * self.params["gamma"].reshape(shape)

    @staticmethod
    def _backward_normalized(g, normalized, inv_std, axes):
        """dL/dx from g = dL/dx̂ when μ and σ² came from x itself over ``axes``."""
        g -= g.mean(axis=axes, keepdims=True)
        g -= normalized * (g * normalized).mean(axis=axes, keepdims=True)
        g *= inv_std
        return g

    # --- model files ------------------------------------------------------------
    def config(self):
        return {"n": self.n, "eps": self.eps}

    @classmethod
    def _check_config(cls, config):
        if set(config) != set(cls._config_keys):
            raise ValueError(f"settings must be {', '.join(cls._config_keys)}")
        n = check_count("n", config["n"])
        _check_fraction("eps", config["eps"], 0.0, 1.0)
        return n

    @classmethod
    def array_shapes(cls, config):
        n = cls._check_config(config)
        return {name: (n,) for name in cls._array_names}

    _config_keys = ("n", "eps")
    _array_names = ("gamma", "beta")

    @classmethod
    def _from_config(cls, config, arrays, dtype, **options):
        layer = cls(config["n"], eps=config["eps"], dtype=dtype, **options)
        layer.params.update({name: arrays[name] for name in ("gamma", "beta")})
        return layer


class _BatchNorm(_Normalization):
    """Batch statistics over ``_axes`` in training, running ones in evaluation."""

    _axes: tuple = ()
    _config_keys = ("n", "eps", "momentum")
    _array_names = ("gamma", "beta", "running_mean", "running_var")

    def __init__(self, n, eps=1e-5, momentum=0.1, dtype=np.float64):
        super().__init__(n, eps=eps, dtype=dtype)
        self.momentum = _check_fraction("momentum", momentum, 0.0, 1.0 + 1e-12)
        # Not parameters: no gradient, no optimizer; saved and resumed as they are.
        self.buffers = Parameters(running_mean=np.zeros(self.n, dtype=self.dtype),
                                  running_var=np.ones(self.n, dtype=self.dtype))

    def _check(self, x):
        raise NotImplementedError

    def _broadcast_shape(self, x):
        return (1, self.n) + (1,) * (x.ndim - 2)

    def forward(self, x):
        x = self._check(np.asarray(x, dtype=self.dtype))
        self.input = x
        shape, axes = self._broadcast_shape(x), self._axes
        if self.training:
            count = x.size // self.n
            if count < 2:
                raise ValueError(f"{type(self).__name__} needs more than one value per channel in training "
                                 f"(got input {x.shape}); call eval() to use the running statistics")
            mean = x.mean(axis=axes, keepdims=True)
            centered = x - mean
            var = np.mean(centered * centered, axis=axes, keepdims=True)  # biased, as in the forward pass
            m = self.momentum
            self.buffers["running_mean"] = (1 - m) * self.buffers["running_mean"] + m * mean.reshape(-1)
            self.buffers["running_var"] = ((1 - m) * self.buffers["running_var"]
                                           + m * var.reshape(-1) * (count / (count - 1)))  # unbiased
        else:
            centered = x - self.buffers["running_mean"].reshape(shape)
            var = self.buffers["running_var"].reshape(shape)
        self._inv_std = 1.0 / np.sqrt(var + self.dtype.type(self.eps))
        centered *= self._inv_std
        self._normalized = centered
        self.output = self._affine(centered, shape)
        return self.output

    def backward_(self, grad_out):
        shape = self._broadcast_shape(grad_out)
        g = self._backward_affine(grad_out, self._axes, shape)
        if not self.propagate_input_grad:
            return None
        if not self.training:  # running statistics are constants: an affine map
            g *= self._inv_std
            return g
        return self._backward_normalized(g, self._normalized, self._inv_std, self._axes)

    def output_shape(self, input_shape):
        if len(input_shape) != self._sample_ndim or input_shape[0] != self.n:
            raise ValueError(f"{self!r} cannot take inputs shaped {tuple(input_shape)}")
        return tuple(input_shape)

    def arrays(self):
        return {**self.params, **self.buffers}

    def config(self):
        return {"n": self.n, "eps": self.eps, "momentum": self.momentum}

    @classmethod
    def _check_config(cls, config):
        n = super()._check_config(config)
        _check_fraction("momentum", config["momentum"], 0.0, 1.0 + 1e-12)
        return n

    @classmethod
    def from_config(cls, config, arrays, dtype):
        layer = cls._from_config(config, arrays, dtype, momentum=config["momentum"])
        if np.any(arrays["running_var"] < 0):
            raise ValueError("running_var holds negative variances")
        layer.buffers.update({name: arrays[name] for name in ("running_mean", "running_var")})
        return layer

    def __repr__(self):
        return f"{type(self).__name__}({self.n})"


class BatchNorm1d(_BatchNorm):
    """``BatchNorm1d(n, eps=1e-5, momentum=0.1, dtype=np.float64)`` on (N, n)
    (after a dense layer): statistics per feature over the batch.
    ``params`` = {"gamma", "beta"}: (n,); ``buffers`` = {"running_mean", "running_var"}."""

    type_name = "batchnorm1d"
    _axes = (0,)
    _sample_ndim = 1

    def __init__(self, n, eps=1e-5, momentum=0.1, dtype=np.float64):
        super().__init__(n, eps=eps, momentum=momentum, dtype=dtype)
        self.n_in = self.n_out = self.n  # between dense layers: a network reads its sizes from these

    def _check(self, x):
        if x.ndim != 2 or x.shape[1] != self.n:
            raise ValueError(f"BatchNorm1d({self.n}) expects (N, {self.n}) input, not {x.shape}")
        return x


class BatchNorm2d(_BatchNorm):
    """``BatchNorm2d(channels, eps=1e-5, momentum=0.1, dtype=np.float64)`` on images
    (N, C, H, W): statistics per channel over the batch and every pixel."""

    type_name = "batchnorm2d"
    _axes = (0, 2, 3)
    _sample_ndim = 3

    def _check(self, x):
        if x.ndim != 4 or x.shape[1] != self.n:
            raise ValueError(f"BatchNorm2d({self.n}) expects (N, {self.n}, H, W) input, not {x.shape}")
        return x


class LayerNorm(_Normalization):
    """``LayerNorm(d, eps=1e-5, dtype=np.float64)``: each sample (each position
    of a sequence) normalised over its last axis of size d, the same in training
    and evaluation. ``params`` = {"gamma": (d,), "beta": (d,)}.

    Speed: the rows are short (d of a few dozen), where a NumPy reduction over
    the last axis pays per row; the per-row means and the per-feature sums over
    rows are matrix-vector products instead (BLAS), a third of the time.
    """

    type_name = "layernorm"

    def __init__(self, n, eps=1e-5, dtype=np.float64):
        super().__init__(n, eps=eps, dtype=dtype)
        self._feature_ones = np.ones(self.n, dtype=self.dtype)  # for sums over a row
        self._ones = np.ones(0, dtype=self.dtype)  # for sums over rows, resized with the batch

    def _row_ones(self, rows):
        if len(self._ones) != rows:
            self._ones = np.ones(rows, dtype=self.dtype)
        return self._ones

    def forward(self, x):
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim < 1 or x.shape[-1] != self.n:
            raise ValueError(f"LayerNorm({self.n}) expects inputs whose last axis is {self.n}, not {x.shape}")
        self.input = x
        rows = x.reshape(-1, self.n)
        ones = self._feature_ones
        mean = rows @ ones
        mean /= self.n
        centered = rows - mean[:, None]
        var = np.square(centered) @ ones
        var /= self.n
        var += self.dtype.type(self.eps)
        inv_std = np.sqrt(var, out=var)
        np.reciprocal(inv_std, out=inv_std)
        self._inv_std = inv_std = inv_std[:, None]
        centered *= inv_std
        self._normalized = centered  # (rows, d)
        self.output = self._affine(centered, (self.n,)).reshape(x.shape)
        return self.output

    def backward_(self, grad_out):
        rows = grad_out.reshape(-1, self.n)
        normalized = self._normalized
        ones = self._row_ones(len(rows))
        product = rows * normalized
        np.matmul(ones, product, out=self.grads["gamma"])  # Σ over rows of dL/dy·x̂
        np.matmul(ones, rows, out=self.grads["beta"])
        if not self.propagate_input_grad:
            return None
        # g = γ·dL/dy; dL/dx = (g − mean(g) − x̂·mean(g·x̂)) / σ, the means over the row.
        gamma = self.params["gamma"]
        scaled_gamma = gamma / self.dtype.type(self.n)
        mean_g = rows @ scaled_gamma
        mean_gx = product @ scaled_gamma
        g = rows * gamma
        g -= mean_g[:, None]
        np.multiply(normalized, mean_gx[:, None], out=product)
        g -= product
        g *= self._inv_std
        return g.reshape(grad_out.shape)

    def output_shape(self, input_shape):
        if not input_shape or input_shape[-1] != self.n:
            raise ValueError(f"LayerNorm({self.n}) cannot take inputs shaped {tuple(input_shape)}")
        return tuple(input_shape)

    @classmethod
    def from_config(cls, config, arrays, dtype):
        return cls._from_config(config, arrays, dtype)

    def __repr__(self):
        return f"LayerNorm({self.n})"
