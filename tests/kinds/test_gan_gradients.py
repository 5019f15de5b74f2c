"""The generator learns through the discriminator's input gradient: check that
gradient, and D's own, against central differences on a tiny pair."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui.kinds.gan.losses import GAN_LOSSES, d_loss_and_grads, g_loss_and_grad
from nn_tui.kinds.gan.model import Gan
from nn_tui.kinds.gan.spec import GanSpec

H = 1e-6


def _tiny(loss, seed=3):
    spec = GanSpec(g_layers=(3,), d_layers=(4,), g_activation="tanh", d_activation="tanh",
                   gan_loss=loss, gan_batch=5, label_smoothing=0.1)
    return Gan(spec, "ring", seed=seed)


def _g_loss(gan, noise):
    return g_loss_and_grad(gan.D.forward(gan.G.forward(noise)), gan.spec.gan_loss)[0]


def _d_loss(gan, real, fake):
    z = gan.D.forward(np.concatenate((real, fake)))
    return d_loss_and_grads(z[:len(real)], z[len(real):], gan.spec.gan_loss, 1.0 - gan.spec.label_smoothing)[0]


def _numeric(flat, loss):
    grad = np.zeros_like(flat)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + H
        up = loss()
        flat[i] = keep - H
        down = loss()
        flat[i] = keep
        grad[i] = (up - down) / (2 * H)
    return grad


@pytest.mark.parametrize("loss", GAN_LOSSES)
def test_generator_gradient_through_the_discriminator_matches_central_differences(loss):
    gan = _tiny(loss)
    noise = gan.noise(5, np.random.default_rng(1))
    z = gan.D.forward(gan.G.forward(noise))
    _, dz = g_loss_and_grad(z, loss)
    d_before = gan.D.flat_params.copy()
    gan.G.backward(gan.D.backward(dz))
    analytic = gan.G.flat_grads.copy()
    numeric = _numeric(gan.G.flat_params, lambda: _g_loss(gan, noise))
    assert np.abs(analytic).max() > 1e-4  # a real gradient, not zeros matching zeros
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)
    np.testing.assert_array_equal(gan.D.flat_params, d_before)  # G's pass leaves D's weights alone


@pytest.mark.parametrize("loss", GAN_LOSSES)
def test_discriminator_gradient_matches_central_differences(loss):
    gan = _tiny(loss)
    rng = np.random.default_rng(2)
    real, fake = gan.distribution.sample(5, rng), gan.generate(4, rng)
    z = gan.D.forward(np.concatenate((real, fake)))
    _, dz_real, dz_fake = d_loss_and_grads(z[:5], z[5:], loss, 0.9)
    gan.D.backward(np.concatenate((dz_real, dz_fake)))
    analytic = gan.D.flat_grads.copy()
    numeric = _numeric(gan.D.flat_params, lambda: _d_loss(gan, real, fake))
    assert np.abs(analytic).max() > 1e-4
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)
