"""Activation functions, each with its local derivative right next to it.

``name_(z)`` maps pre-activations to outputs; ``name_backward_(grad_a, a)``
turns the gradient w.r.t. the output ``a`` into the gradient w.r.t. ``z``,
written in terms of the *output* (a·(1−a), 1−a², a>0) so a layer only keeps
its output, which it keeps anyway for visualisation.

The trailing underscore means in place, as in PyTorch: ``name_`` may
overwrite ``z`` and ``name_backward_`` may overwrite ``grad_a``. A layer only
hands them arrays it has just created, and skipping a fresh array per call
matters: for a 64×128 batch a new array costs page faults that take as long as
the arithmetic. ``ACTIVATIONS[name].forward`` / ``.backward`` are the same
functions on a copy, safe to call on anyone's array.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Callable, NamedTuple

import numpy as np

LEAKY_SLOPE = 0.01


# step (Heaviside, H(0) = 1): the perceptron's threshold unit. Its derivative is
# 0 almost everywhere, so nothing below a step layer learns by gradient.
def step_(z):
    return (z >= 0).astype(z.dtype)


def step_backward_(grad_a, a):
    grad_a.fill(0.0)
    return grad_a


# linear (identity): da/dz = 1
def linear_(z):
    return z


def linear_backward_(grad_a, a):
    return grad_a


# sigmoid: σ(z) = e^z / (1 + e^z) = exp(z − log(1 + e^z)). logaddexp(0, z)
# never overflows and the exponent is ≤ 0, so unlike 1/(1 + e^−z) there are no
# overflow warnings at saturation; fused sigmoid+bce reuses the same softplus.
def sigmoid_(z):
    z -= np.logaddexp(0.0, z)
    return np.exp(z, out=z)


def sigmoid_backward_(grad_a, a):  # σ' = a·(1 − a)
    derivative = 1.0 - a
    derivative *= a
    grad_a *= derivative
    return grad_a


# tanh: da/dz = 1 − a²
def tanh_(z):
    return np.tanh(z, out=z)


def tanh_backward_(grad_a, a):
    derivative = a * a
    np.subtract(1.0, derivative, out=derivative)
    grad_a *= derivative
    return grad_a


# relu: da/dz = 1 where a > 0, else 0 (0 at the kink)
def relu_(z):
    return np.maximum(z, 0.0, out=z)


def relu_backward_(grad_a, a):
    grad_a *= a > 0
    return grad_a


# leaky relu: max(z, 0.01·z) is z for z > 0 and 0.01·z otherwise.
# a > 0 exactly when z > 0, so the output still tells which side we are on.
def leaky_relu_(z):
    return np.maximum(z, LEAKY_SLOPE * z, out=z)


def leaky_relu_backward_(grad_a, a):
    return np.multiply(grad_a, LEAKY_SLOPE, out=grad_a, where=a <= 0)


# softmax over each row; subtracting the row max keeps exp() from overflowing.
def softmax_(z):
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def softmax_backward_(grad_a, a):
    # Jacobian-vector product: da_i/dz_j = a_i·(δ_ij − a_j)
    grad_a -= (grad_a * a).sum(axis=1, keepdims=True)
    grad_a *= a
    return grad_a


class Activation(NamedTuple):
    name: str
    forward: Callable[[np.ndarray], np.ndarray]  # z -> a, leaves z alone
    backward: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (grad_a, a) -> grad_z, leaves grad_a alone
    forward_: Callable[[np.ndarray], np.ndarray]  # in place
    backward_: Callable[[np.ndarray, np.ndarray], np.ndarray]  # in place
    hidden_ok: bool  # softmax couples a row's units; it only makes sense at the output


def _float_copy(x):
    x = np.asarray(x)
    return x.copy() if x.dtype.kind == "f" else x.astype(np.float64)


def _activation(name, forward_, backward_, hidden_ok=True):
    def forward(z):
        return forward_(_float_copy(z))

    def backward(grad_a, a):
        return backward_(_float_copy(grad_a), np.asarray(a))

    return Activation(name, forward, backward, forward_, backward_, hidden_ok)


ACTIVATIONS = MappingProxyType(
    {
        "step": _activation("step", step_, step_backward_),
        "linear": _activation("linear", linear_, linear_backward_),
        "sigmoid": _activation("sigmoid", sigmoid_, sigmoid_backward_),
        "tanh": _activation("tanh", tanh_, tanh_backward_),
        "relu": _activation("relu", relu_, relu_backward_),
        "leaky_relu": _activation("leaky_relu", leaky_relu_, leaky_relu_backward_),
        "softmax": _activation("softmax", softmax_, softmax_backward_, hidden_ok=False),
    }
)

# What Network.mlp accepts as its output activation.
OUTPUT_ACTIVATIONS = ("sigmoid", "softmax", "linear", "tanh")
