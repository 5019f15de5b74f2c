"""The two GAN losses, on the discriminator's raw outputs (logits) z.

Each returns the loss and dL/dz for the rows it was given, already divided by
the batch size, ready for ``D.backward``.

log (the original GAN, with the generator's non-saturating loss):
    L_D = mean over real rows of −[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y·z
          (y = 1, or 1 − smoothing), plus mean over fake rows of softplus(z)
    L_G = mean −log σ(z_fake) = mean softplus(−z_fake)
    (minimax's log(1 − σ(z)) would give the generator no gradient exactly
    when D rejects its points, at the start)
least-squares (LSGAN, targets 1 real / 0 fake, D's output read as a score):
    L_D = ½ mean (z_real − y)² + ½ mean z_fake²
    L_G = ½ mean (z_fake − 1)²
softplus(z) = log(1 + e^z) = logaddexp(0, z) never overflows.
"""

from __future__ import annotations

import numpy as np

GAN_LOSSES: tuple[str, ...] = ("log", "least-squares")


def _sigmoid(z):
    return np.exp(z - np.logaddexp(0.0, z))  # e^z / (1 + e^z) without overflow


def d_loss_and_grads(z_real, z_fake, loss, real_label=1.0):
    """(L_D, dL/dz_real, dL/dz_fake). ``real_label`` < 1 is one-sided label smoothing."""
    n_real, n_fake = len(z_real), len(z_fake)
    if loss == "log":
        value = ((np.logaddexp(0.0, z_real).sum() - real_label * z_real.sum()) / n_real
                 + np.logaddexp(0.0, z_fake).sum() / n_fake)
        return float(value), (_sigmoid(z_real) - real_label) / n_real, _sigmoid(z_fake) / n_fake
    if loss == "least-squares":
        miss = z_real - real_label
        value = 0.5 * float(np.vdot(miss, miss)) / n_real + 0.5 * float(np.vdot(z_fake, z_fake)) / n_fake
        return value, miss / n_real, z_fake / n_fake
    raise ValueError(f"unknown GAN loss {loss!r}; choose from {', '.join(GAN_LOSSES)}")


def g_loss_and_grad(z_fake, loss):
    """(L_G, dL/dz_fake)."""
    n = len(z_fake)
    if loss == "log":
        return float(np.logaddexp(0.0, -z_fake).sum()) / n, (_sigmoid(z_fake) - 1.0) / n
    if loss == "least-squares":
        miss = z_fake - 1.0
        return 0.5 * float(np.vdot(miss, miss)) / n, miss / n
    raise ValueError(f"unknown GAN loss {loss!r}; choose from {', '.join(GAN_LOSSES)}")
