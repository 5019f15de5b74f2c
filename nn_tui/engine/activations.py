"""Activation functions, each with its local derivative right next to it.

``forward(z)`` maps pre-activations to outputs. ``backward(grad_a, a)`` turns
the gradient w.r.t. the output ``a`` into the gradient w.r.t. ``z``. It is
written in terms of the *output* ``a`` (a·(1−a), 1−a², a>0) so a layer only
has to keep its output, which it keeps anyway for visualisation.

Every function is a plain module-level function bound once when a layer is
built, so a training step pays no name lookups or branching for them.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Callable, NamedTuple

import numpy as np

LEAKY_SLOPE = 0.01


class Activation(NamedTuple):
    name: str
    forward: Callable[[np.ndarray], np.ndarray]
    backward: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (grad_a, a) -> grad_z
    hidden_ok: bool  # softmax couples a row's units; it only makes sense at the output


# step (Heaviside, H(0) = 1): the perceptron's threshold unit. Its derivative is
# 0 almost everywhere, so nothing below a step layer learns by gradient.
def step(z):
    return (z >= 0).astype(z.dtype)


def step_backward(grad_a, a):
    return np.zeros_like(grad_a)


# linear (identity): da/dz = 1
def linear(z):
    return z


def linear_backward(grad_a, a):
    return grad_a


# sigmoid: σ(z) = e^z / (1 + e^z) = exp(z − log(1 + e^z)). logaddexp(0, z)
# never overflows and the exponent is ≤ 0, so unlike 1/(1 + e^−z) there are no
# overflow warnings at saturation; fused sigmoid+bce reuses the same softplus.
def sigmoid(z):
    return np.exp(z - np.logaddexp(0.0, z))


def sigmoid_backward(grad_a, a):  # σ' = a·(1−a)
    return grad_a * (a * (1.0 - a))


# tanh: da/dz = 1 − a²
def tanh(z):
    return np.tanh(z)


def tanh_backward(grad_a, a):
    return grad_a * (1.0 - a * a)


# relu: da/dz = 1 where a > 0 (0 at the kink)
def relu(z):
    return np.maximum(z, 0.0)


def relu_backward(grad_a, a):
    return grad_a * (a > 0)


# leaky relu: max(z, 0.01·z) equals z for z > 0 and 0.01·z otherwise.
# a > 0 exactly when z > 0, so the output still tells us which side we are on.
def leaky_relu(z):
    return np.maximum(z, LEAKY_SLOPE * z)


def leaky_relu_backward(grad_a, a):
    return np.where(a > 0, grad_a, LEAKY_SLOPE * grad_a)


# softmax over each row; subtracting the row max keeps exp() from overflowing.
def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    e /= e.sum(axis=1, keepdims=True)
    return e


def softmax_backward(grad_a, a):
    # Jacobian-vector product: da_i/dz_j = a_i·(δ_ij − a_j)
    return a * (grad_a - (grad_a * a).sum(axis=1, keepdims=True))


ACTIVATIONS = MappingProxyType(
    {
        "step": Activation("step", step, step_backward, True),
        "linear": Activation("linear", linear, linear_backward, True),
        "sigmoid": Activation("sigmoid", sigmoid, sigmoid_backward, True),
        "tanh": Activation("tanh", tanh, tanh_backward, True),
        "relu": Activation("relu", relu, relu_backward, True),
        "leaky_relu": Activation("leaky_relu", leaky_relu, leaky_relu_backward, True),
        "softmax": Activation("softmax", softmax, softmax_backward, False),
    }
)

# What Network.mlp accepts as its output activation.
OUTPUT_ACTIVATIONS = ("sigmoid", "softmax", "linear", "tanh")
