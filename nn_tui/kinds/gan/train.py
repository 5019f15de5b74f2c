"""Training a GAN: D steps, then G steps; and measuring it.

D step: a batch of real points and one of G's points go through D together
(one forward, one backward: the loss is a sum of two means, so the rows'
gradients simply add). G step: G's points go through D, D.backward(dL/dz)
returns dL/d(points), and G.backward of that fills G's gradients; only G's
optimizer steps (D's gradients from that pass are overwritten by its next step).
"""

from __future__ import annotations

import numpy as np

from nn_tui.kinds.gan.losses import d_loss_and_grads, g_loss_and_grad
from nn_tui.kinds.gan.metrics import EVAL_SAMPLES, grid_shares, js_from_shares, kl_from_shares, modes_covered
from nn_tui.kinds.gan.model import Gan


def _seen_by_d(gan: Gan, points):
    # Instance noise blurs both real and fake points, so their supports overlap
    # and D cannot become perfectly sure (its gradient would vanish).
    sigma = gan.spec.instance_noise
    if sigma > 0:
        points = points + gan.rng.standard_normal(points.shape) * sigma
    return points


def d_step(gan: Gan) -> float:
    """One discriminator update on fresh batches; returns L_D before it."""
    n = gan.spec.gan_batch
    return d_update(gan, gan.distribution.sample(n, gan.rng), gan.noise(n, gan.rng))


def g_step(gan: Gan) -> float:
    """One generator update on fresh noise; returns L_G before it."""
    return g_update(gan, gan.noise(gan.spec.gan_batch, gan.rng))


def d_update(gan: Gan, real, noise) -> float:
    """D learns to tell ``real`` from G(``noise``); returns L_D before the step."""
    n = len(real)
    fake = gan.G.forward(noise)
    z = gan.D.forward(_seen_by_d(gan, np.concatenate((real, fake))))
    loss, dz_real, dz_fake = d_loss_and_grads(z[:n], z[n:], gan.spec.gan_loss, 1.0 - gan.spec.label_smoothing)
    gan.D.backward(np.concatenate((dz_real, dz_fake)))
    gan.d_opt.step(gan.D)
    return loss


def g_update(gan: Gan, noise) -> float:
    """G learns through D's input gradient; returns L_G before the step."""
    z = gan.D.forward(_seen_by_d(gan, gan.G.forward(noise)))
    loss, dz = g_loss_and_grad(z, gan.spec.gan_loss)
    gan.G.backward(gan.D.backward(dz))
    gan.g_opt.step(gan.G)
    gan.update_average()
    return loss


def train_epoch(gan: Gan) -> tuple[float | None, float | None]:
    """d_steps D updates then g_steps G updates; the last losses of each (None if no step)."""
    d_loss = g_loss = None
    for _ in range(gan.spec.d_steps):
        d_loss = d_step(gan)
    for _ in range(gan.spec.g_steps):
        g_loss = g_step(gan)
    gan.epoch += 1
    return d_loss, g_loss


def train(gan: Gan, epochs: int) -> tuple[float | None, float | None]:
    losses = (None, None)
    for _ in range(epochs):
        losses = train_epoch(gan)
    return losses


class Evaluator:
    """The measure of ``evaluate``, with what never changes drawn once: the real
    points' grid shares and the noise (from the seed's own evaluation stream),
    so measuring during training costs one pass of G and a histogram."""

    def __init__(self, gan: Gan, samples: int = EVAL_SAMPLES):
        rng = np.random.default_rng(gan.eval_seed)
        distribution = gan.distribution
        self.box = distribution.box
        self.real_shares = grid_shares(distribution.sample(samples, rng), self.box)
        self.noise = gan.noise(samples, rng)
        self.modes = (distribution.mode_centres, distribution.sigma) if distribution.modes is not None else None

    def __call__(self, gan: Gan) -> dict:
        fake = gan.G_shown.forward(self.noise)
        fake_shares = grid_shares(fake, self.box)
        metrics = {"js_divergence": js_from_shares(self.real_shares, fake_shares),
                   "kl_divergence": kl_from_shares(self.real_shares, fake_shares)}
        if self.modes is not None:
            metrics["modes_covered"] = modes_covered(fake, *self.modes)
        return metrics


def evaluate(gan: Gan, samples: int = EVAL_SAMPLES) -> dict:
    """js_divergence, kl_divergence (and modes_covered for mixtures of round
    Gaussians) of ``samples`` real against ``samples`` generated points, from
    the averaged generator when there is one. The same real points and noise
    every call, from the seed's own evaluation stream: two calls differ only
    because G changed, and evaluating never shifts the training stream."""
    return Evaluator(gan, samples)(gan)
