"""GAN training: seeded bit for bit, learns, and refuses bad settings in one line."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui.kinds.gan.model import Gan
from nn_tui.kinds.gan.spec import GanSpec
from nn_tui.kinds.gan.train import d_step, evaluate, g_step, train, train_epoch


def _small(**changes):
    return GanSpec(g_layers=(16,), d_layers=(16,), gan_batch=32).replace(**changes)


def test_same_seed_same_run_bit_for_bit():
    runs = []
    for _ in range(2):
        gan = Gan(_small(instance_noise=0.01, label_smoothing=0.1), "ring", seed=4)
        losses = [train_epoch(gan) for _ in range(30)]
        runs.append((losses, gan.G.flat_params.tobytes(), gan.D.flat_params.tobytes(),
                     gan.G_shown.flat_params.tobytes(), evaluate(gan, samples=2000)))
    assert runs[0] == runs[1]
    other = Gan(_small(instance_noise=0.01, label_smoothing=0.1), "ring", seed=5)
    train(other, 30)
    assert other.G.flat_params.tobytes() != runs[0][1]


def test_an_epoch_is_d_steps_then_g_steps():
    gan = Gan(_small(d_steps=3, g_steps=0, g_average=0.0), "line", seed=0)
    g_before, d_before = gan.G.flat_params.copy(), gan.D.flat_params.copy()
    d_loss, g_loss = train_epoch(gan)
    assert g_loss is None and isinstance(d_loss, float)
    np.testing.assert_array_equal(gan.G.flat_params, g_before)  # D steps never move G
    assert gan.d_opt.t == 3 and not np.array_equal(gan.D.flat_params, d_before)
    gan = Gan(_small(d_steps=0, g_steps=2), "line", seed=0)
    d_before = gan.D.flat_params.copy()
    assert train_epoch(gan)[0] is None
    np.testing.assert_array_equal(gan.D.flat_params, d_before)  # G steps never move D
    assert gan.g_opt.t == 2 and gan.epoch == 1


def test_discriminator_alone_learns_to_tell_real_from_fake():
    gan = Gan(_small(d_lr=3e-3), "two-gaussians", seed=1)
    first = d_step(gan)
    for _ in range(300):
        last = d_step(gan)
    # log 4 ≈ 1.386 is a D that cannot tell; the untrained G's points are easy to tell
    assert first > 1.2 and last < 0.5 * first


def test_generator_alone_moves_toward_what_d_calls_real():
    gan = Gan(_small(g_lr=3e-3, d_lr=3e-3), "ring", seed=2)
    for _ in range(200):
        d_step(gan)
    before = g_step(gan)
    for _ in range(100):
        after = g_step(gan)
    assert after < 0.7 * before  # against a fixed D, G's loss falls


@pytest.mark.parametrize("loss", ["log", "least-squares"])
def test_training_brings_the_generated_points_closer(loss):
    # faster than the defaults (which need thousands of epochs), to keep the test short
    spec = GanSpec(gan_loss=loss, g_lr=1e-3, d_lr=5e-4, g_average=0.99, d_steps=1)
    gan = Gan(spec, "two-gaussians", seed=0)
    start = evaluate(gan, samples=5000)["js_divergence"]
    train(gan, 1500)
    end = evaluate(gan, samples=5000)["js_divergence"]
    # measured (seed 0): 0.80 -> 0.16 (log), 0.80 -> 0.07 (least squares)
    assert start > 0.6 and end < 0.3


def test_averaged_generator_follows_g_but_lags():
    gan = Gan(_small(g_average=0.9), "line", seed=3)
    train(gan, 20)
    assert gan.G_shown is not gan.G
    lag = np.abs(gan.G_shown.flat_params - gan.G.flat_params).max()
    assert 0 < lag < np.abs(gan.G.flat_params).max()
    plain = Gan(_small(g_average=0.0), "line")
    assert plain.G_shown is plain.G


@pytest.mark.parametrize("bad, words", [
    (dict(noise_dim=0), "--noise-dim"),
    (dict(noise_type="cauchy"), "--noise-type"),
    (dict(g_layers=(0,)), "--g-layers"),
    (dict(d_layers=[32]), "--d-layers"),
    (dict(d_activation="softmax"), "--d-activation"),
    (dict(g_optimizer="lbfgs"), "--g-optimizer"),
    (dict(d_lr=-1.0), "--d-lr"),
    (dict(d_steps=0, g_steps=0), "at least one step"),
    (dict(gan_loss="wasserstein"), "--gan-loss"),
    (dict(gan_batch=0), "--gan-batch"),
    (dict(label_smoothing=0.9), "--label-smoothing"),
    (dict(instance_noise=float("nan")), "--instance-noise"),
    (dict(g_average=1.0), "--g-average"),
])
def test_bad_settings_say_which_in_one_line(bad, words):
    with pytest.raises(ValueError, match=words) as caught:
        Gan(GanSpec(**bad), "ring")
    assert "\n" not in str(caught.value)
