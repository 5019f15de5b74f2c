"""Optimizers: ``make_optimizer(name, lr, reg="none", reg_rate=0.0, **options)``.

``opt.step(net)`` updates the network's parameters in place from the
gradients of the last ``net.loss_and_grads``. It works on the network's flat
buffers (``net.flat_params`` / ``net.flat_grads``), so one update is a few
NumPy calls whatever the number of layers.

Update rules (g = gradient, t = step count from 1):
    sgd       w −= lr·g
    momentum  v = μ·v + g;  w −= lr·v          (nesterov: w −= lr·(g + μ·v))
    adam      m = β1·m + (1−β1)·g;  s = β2·s + (1−β2)·g²
              w −= lr · (m / (1−β1^t)) / (√(s / (1−β2^t)) + ε)
    rmsprop   s = ρ·s + (1−ρ)·g²;  w −= lr·g / (√s + ε)
Momentum keeps lr outside the velocity (as PyTorch does) so changing ``opt.lr``
takes effect at once and never resets or rescales the state.

Regularisation (TensorFlow Playground's way): on weights W only, never biases,
the optimizer sees g + reg_rate·dReg(w), with dReg(w) = sign(w) for L1 and w
for L2. With L1, a weight whose step crosses zero stops at exactly zero, which
is what makes L1 weights sparse, and its momentum (momentum's velocity, Adam's
first moment) is dropped so it stays there unless the loss gradient pulls it
away. Two differences from Playground: it clips only when the penalty itself
causes the crossing (here any crossing with L1 on stops at zero), and it marks
such a weight dead for good (here it may grow back).

Masked weights are re-zeroed after every step, so optimizer state gathered
before a mask was set cannot move them.
"""

from __future__ import annotations

import inspect
import math
import numbers
from types import MappingProxyType

import numpy as np

from nn_tui.engine.validation import check_choice

REGULARIZATIONS = ("none", "l1", "l2")


class Optimizer:
    """Base class: regularisation, masks and state handling. Subclasses
    implement ``_update(params, grads, lr)`` on the flat buffers and
    ``_new_state(size, dtype)``."""

    name = "optimizer"

    def __init__(self, lr, reg="none", reg_rate=0.0):
        self.lr = lr
        self.reg = check_choice("regularization", "none" if reg is None else reg, REGULARIZATIONS)
        self.reg_rate = reg_rate
        self.reset()

    def reset(self):
        """Forget all state (velocities, moments, step count)."""
        self.t = 0
        self._bound_to = None  # the flat_params array the state belongs to

    def _bind(self, params):
        self.t = 0
        self._bound_to = params
        self._scratch = np.empty_like(params)
        self._effective_grads = np.empty_like(params)
        self._new_state(params.size, params.dtype)

    def _new_state(self, size, dtype):
        pass

    # Names of the per-parameter arrays a subclass keeps (its moments, its velocity).
    STATE_ARRAYS = ()

    def get_state(self):
        """``(t, {name: array copy})``: what resuming needs to take the very same steps."""
        if self._bound_to is None:
            return self.t, {}
        return self.t, {name: getattr(self, name).copy() for name in self.STATE_ARRAYS}

    def set_state(self, net, t, arrays):
        """Continue from ``get_state``'s values on ``net`` (the same architecture)."""
        if not arrays and t == 0:
            self.reset()
            return
        self._bind(net.flat_params)
        self.t = int(t)
        for name in self.STATE_ARRAYS:
            target = getattr(self, name)
            value = np.asarray(arrays[name])
            if value.shape != target.shape:
                raise ValueError(f"optimizer state {name} has shape {value.shape}, expected {target.shape}")
            np.copyto(target, value)

    def step(self, net):
        params, grads = net.flat_params, net.flat_grads
        if params is not self._bound_to:  # first step, or a different network
            self._bind(params)
        self.t += 1
        # float(): a numpy float64 lr would silently upcast float32 networks
        lr = float(self.lr)
        if self.reg == "none" or self.reg_rate == 0:
            self._update(params, grads, lr)
        else:
            self._regularized_step(params, grads, lr, net.n_weights)
        for layer in net.layers:
            mask = getattr(layer, "mask", None)  # Dense has one; other layers may not
            if mask is not None:
                weights = layer.params["W"]
                weights *= mask

    def _regularized_step(self, params, grads, lr, n_weights):
        weights = params[:n_weights]
        effective = self._effective_grads
        np.copyto(effective, grads)  # the network's grads stay the loss gradient
        penalty = effective[:n_weights]
        if self.reg == "l2":
            penalty += float(self.reg_rate) * weights  # d/dw ½w² = w
            self._update(params, effective, lr)
        else:
            penalty += float(self.reg_rate) * np.sign(weights)  # d/dw |w| = sign(w)
            before = weights.copy()
            self._update(params, effective, lr)
            crossed = before * weights < 0
            np.copyto(weights, 0.0, where=crossed)  # crossed zero: stop at it
            self._stop(crossed)

    def _stop(self, crossed):
        """Forget the momentum of weights L1 just stopped at zero, or the
        momentum would carry them across on the next step."""

    def _update(self, params, grads, lr):
        raise NotImplementedError

    def __repr__(self):
        reg = "" if self.reg == "none" else f", reg={self.reg!r}, reg_rate={self.reg_rate}"
        return f"{type(self).__name__}(lr={self.lr}{reg})"


# SGD updates big buffers in blocks this long (256 KB of float64), so the scaled
# gradient is read back from cache instead of memory: ~2 % of a 784-128-10 step.
SGD_BLOCK = 32768


class SGD(Optimizer):
    name = "sgd"

    def _bind(self, params):
        super()._bind(params)
        scratch = self._scratch[:SGD_BLOCK]
        self._blocks = [(params[start:start + SGD_BLOCK], start, scratch[:min(SGD_BLOCK, params.size - start)])
                        for start in range(0, params.size, SGD_BLOCK)]

    def _update(self, params, grads, lr):
        multiply = np.multiply
        for block, start, scratch in self._blocks:
            block -= multiply(grads[start:start + len(scratch)], lr, out=scratch)


class Momentum(Optimizer):
    name = "momentum"
    STATE_ARRAYS = ("velocity",)

    def __init__(self, lr, reg="none", reg_rate=0.0, momentum=0.9, nesterov=False):
        self.momentum = momentum
        self.nesterov = bool(nesterov)
        super().__init__(lr, reg, reg_rate)

    def _new_state(self, size, dtype):
        self.velocity = np.zeros(size, dtype=dtype)

    def _stop(self, crossed):
        np.copyto(self.velocity[:crossed.size], 0.0, where=crossed)

    def _update(self, params, grads, lr):
        mu = float(self.momentum)
        velocity = self.velocity
        velocity *= mu
        velocity += grads
        if self.nesterov:  # look ahead: the gradient plus the velocity it leads to
            direction = np.multiply(velocity, mu, out=self._scratch)
            direction += grads
            direction *= lr
        else:
            direction = np.multiply(velocity, lr, out=self._scratch)
        params -= direction


class Adam(Optimizer):
    name = "adam"
    STATE_ARRAYS = ("m", "v")

    def __init__(self, lr, reg="none", reg_rate=0.0, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        super().__init__(lr, reg, reg_rate)

    def _new_state(self, size, dtype):
        self.m = np.zeros(size, dtype=dtype)
        self.v = np.zeros(size, dtype=dtype)

    def _stop(self, crossed):
        np.copyto(self.m[:crossed.size], 0.0, where=crossed)

    def _update(self, params, grads, lr):
        beta1, beta2, eps = float(self.beta1), float(self.beta2), float(self.eps)
        m, v, scratch = self.m, self.v, self._scratch
        m *= beta1
        m += np.multiply(grads, 1.0 - beta1, out=scratch)
        v *= beta2
        np.multiply(grads, grads, out=scratch)
        scratch *= 1.0 - beta2
        v += scratch
        # denominator √(v / (1−β2^t)) + ε, then the bias-corrected step
        np.multiply(v, 1.0 / (1.0 - beta2 ** self.t), out=scratch)
        np.sqrt(scratch, out=scratch)
        scratch += eps
        np.divide(m, scratch, out=scratch)
        scratch *= lr / (1.0 - beta1 ** self.t)
        params -= scratch


class RMSprop(Optimizer):
    name = "rmsprop"
    STATE_ARRAYS = ("mean_square",)

    def __init__(self, lr, reg="none", reg_rate=0.0, rho=0.9, eps=1e-8):
        self.rho, self.eps = rho, eps
        super().__init__(lr, reg, reg_rate)

    def _new_state(self, size, dtype):
        self.mean_square = np.zeros(size, dtype=dtype)

    def _update(self, params, grads, lr):
        rho, scratch = float(self.rho), self._scratch
        mean_square = self.mean_square
        mean_square *= rho
        np.multiply(grads, grads, out=scratch)
        scratch *= 1.0 - rho
        mean_square += scratch
        np.sqrt(mean_square, out=scratch)
        scratch += float(self.eps)
        np.divide(grads, scratch, out=scratch)
        scratch *= lr
        params -= scratch


OPTIMIZERS = MappingProxyType({cls.name: cls for cls in (SGD, Momentum, Adam, RMSprop)})


def make_optimizer(name, lr, reg="none", reg_rate=0.0, **options):
    """An optimizer by name ("sgd", "momentum", "adam", "rmsprop"); ``options``
    are its hyper-parameters (momentum, nesterov, beta1, beta2, eps, rho)."""
    cls = OPTIMIZERS[check_choice("optimizer", name, OPTIMIZERS)]
    allowed = set(inspect.signature(cls.__init__).parameters) - {"self", "lr", "reg", "reg_rate"}
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise ValueError(f"{name} has no option {', '.join(unknown)}; it takes {', '.join(sorted(allowed)) or 'none'}")
    if not (isinstance(lr, numbers.Real) and math.isfinite(lr) and lr >= 0):
        raise ValueError(f"lr must be a finite number >= 0, not {lr!r}")
    if not (isinstance(reg_rate, numbers.Real) and math.isfinite(reg_rate) and reg_rate >= 0):
        raise ValueError(f"reg_rate must be a finite number >= 0, not {reg_rate!r}")
    return cls(lr, reg=reg, reg_rate=reg_rate, **options)
