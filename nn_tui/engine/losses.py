"""Loss functions over a batch of N samples with k outputs each.

    mse = mean over N of ½·Σ_k (ŷ − y)²
    bce = mean over N of −Σ_k [y·log p + (1 − y)·log(1 − p)]
    ce  = mean over N of −Σ_k y·log p

Each ``Loss`` gives its value and its gradient w.r.t. the predictions; this is
the general path, chained through the output activation's derivative.

sigmoid+bce and softmax+ce are also *fused* (``FUSED``): their gradient w.r.t.
the output pre-activation z collapses to (p − y)/N, and the value is computed
from the logits z (log-add-exp / log-sum-exp), so both stay finite even when
p rounds to exactly 0 or 1. A network always uses the fused form for those two.
For softmax+ce, (p − y)/N assumes each row of y sums to 1 (one-hot or a
probability distribution), as class targets do.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Callable, NamedTuple

import numpy as np


class Loss(NamedTuple):
    name: str
    value: Callable[[np.ndarray, np.ndarray], float]  # (predictions, targets)
    gradient: Callable[[np.ndarray, np.ndarray], np.ndarray]  # dL/dpredictions
    value_and_gradient: Callable[[np.ndarray, np.ndarray], tuple]
    required_output: str | None  # output activation this loss needs, if any


class FusedLoss(NamedTuple):
    activation: str
    loss: str
    value: Callable[[np.ndarray, np.ndarray], float]  # (logits z, targets)
    value_output_gradient: Callable[[np.ndarray, np.ndarray], tuple]  # -> (loss, p, dL/dz)


# --- mse ---------------------------------------------------------------------
def mse_value(pred, target):
    diff = pred - target
    return 0.5 * float(np.vdot(diff, diff)) / len(pred)


def mse_gradient(pred, target):  # d/dŷ ½(ŷ − y)² = ŷ − y
    return (pred - target) * (1.0 / len(pred))


def mse_value_and_gradient(pred, target):
    diff = pred - target
    inv_n = 1.0 / len(pred)
    loss = 0.5 * float(np.vdot(diff, diff)) * inv_n
    diff *= inv_n
    return loss, diff


# --- bce / ce from probabilities (general path; inf when p hits 0 or 1) --------
def _y_log_p(y, p):
    # y·log p with 0·log 0 = 0, the limit the loss needs.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(y == 0, 0.0, y * np.log(p))


def bce_value(p, y):
    total = _y_log_p(y, p) + _y_log_p(1.0 - y, 1.0 - p)
    return -float(total.sum()) / len(p)


def bce_gradient(p, y):  # d/dp −[y log p + (1−y) log(1−p)] = (p − y) / (p(1 − p))
    with np.errstate(divide="ignore", invalid="ignore"):
        return (p - y) / (p * (1.0 - p)) * (1.0 / len(p))


def ce_value(p, y):
    return -float(_y_log_p(y, p).sum()) / len(p)


def ce_gradient(p, y):  # d/dp −y log p = −y / p
    with np.errstate(divide="ignore", invalid="ignore"):
        return -y / p * (1.0 / len(p))


def _pair(value, gradient):
    return lambda p, y: (value(p, y), gradient(p, y))


LOSSES = MappingProxyType(
    {
        "mse": Loss("mse", mse_value, mse_gradient, mse_value_and_gradient, None),
        "bce": Loss("bce", bce_value, bce_gradient, _pair(bce_value, bce_gradient), "sigmoid"),
        "ce": Loss("ce", ce_value, ce_gradient, _pair(ce_value, ce_gradient), "softmax"),
    }
)


# --- fused sigmoid + bce ---------------------------------------------------------
# Per element, −[y log σ(z) + (1−y) log(1−σ(z))] = log(1 + e^z) − y·z,
# and log(1 + e^z) = logaddexp(0, z) never overflows.
def sigmoid_bce_value(z, y):
    return (float(np.logaddexp(0.0, z).sum()) - float(np.vdot(y, z))) / len(z)


def sigmoid_bce(z, y):
    inv_n = 1.0 / len(z)
    softplus = np.logaddexp(0.0, z)  # log(1 + e^z) = −log(1 − p)
    loss = (float(softplus.sum()) - float(np.vdot(y, z))) * inv_n
    # σ(z) = e^z / (1 + e^z) = exp(z − softplus(z)); the exponent is ≤ 0, so
    # this reuses softplus instead of a separate sigmoid and cannot overflow.
    p = np.exp(z - softplus)
    grad_z = p - y  # dL/dz = (p − y)/N: σ' cancels the 1/(p(1−p)) of bce
    grad_z *= inv_n
    return loss, p, grad_z


# --- fused softmax + ce ------------------------------------------------------------
# log p = (z − max) − log Σ e^(z − max): finite for any logits.
def softmax_ce_value(z, y):
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -float(np.vdot(y, log_p)) / len(z)


def softmax_ce(z, y):
    inv_n = 1.0 / len(z)
    shifted = z - z.max(axis=1, keepdims=True)
    p = np.exp(shifted)
    row_sum = p.sum(axis=1, keepdims=True)
    loss = -float(np.vdot(y, shifted - np.log(row_sum))) * inv_n
    p /= row_sum
    grad_z = p - y  # dL/dz = (p − y)/N (for rows of y summing to 1)
    grad_z *= inv_n
    return loss, p, grad_z


FUSED = MappingProxyType(
    {
        ("sigmoid", "bce"): FusedLoss("sigmoid", "bce", sigmoid_bce_value, sigmoid_bce),
        ("softmax", "ce"): FusedLoss("softmax", "ce", softmax_ce_value, softmax_ce),
    }
)
