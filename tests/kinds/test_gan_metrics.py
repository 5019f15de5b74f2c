"""The GAN's measures: JS and KL on GAN Lab's grid, and modes covered."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui.data import make_distribution
from nn_tui.kinds.gan.metrics import (
    EVAL_SAMPLES,
    grid_shares,
    js_divergence,
    kl_divergence,
    mode_shares,
    modes_covered,
)
from nn_tui.kinds.gan.model import Gan
from nn_tui.kinds.gan.spec import GanSpec
from nn_tui.kinds.gan.train import evaluate


def _two_sets(name, n=EVAL_SAMPLES):
    d = make_distribution(name)
    return d, d.sample(n, np.random.default_rng(1)), d.sample(n, np.random.default_rng(2))


@pytest.mark.parametrize("name", ["two-gaussians", "ring", "grid", "line", "three-regions"])
def test_two_independent_real_sample_sets_are_close(name):
    d, a, b = _two_sets(name)
    # measured: 0.001-0.008; 20,000 samples leave little sampling noise
    assert 0 <= js_divergence(a, b, d.box) < 0.02
    assert 0 <= kl_divergence(a, b, d.box) < 0.06


def test_few_samples_cannot_score_low():
    # the issue's warning: GAN Lab's 300 samples put even real against real near 0.36
    d, a, b = _two_sets("two-gaussians", n=300)
    assert js_divergence(a, b, d.box) > 0.25


def test_disjoint_distributions_score_about_one():
    d = make_distribution("ring")
    rng = np.random.default_rng(3)
    here = d.mode_centres[0] + rng.standard_normal((EVAL_SAMPLES, 2)) * d.sigma
    there = d.mode_centres[4] + rng.standard_normal((EVAL_SAMPLES, 2)) * d.sigma
    assert js_divergence(here, there, d.box) == pytest.approx(1.0, abs=0.03)
    assert kl_divergence(here, there, d.box) > 5  # every real bin missed


def test_smoothing_caps_js_below_one_when_mass_is_spread():
    # 1e-4 on each of 900 bins is 9 % extra mass; over two disjoint uniform halves
    # (450 bins each, ~0.0022 per bin) JS comes to ~0.82, not 1: GAN Lab's measure, as specified
    rng = np.random.default_rng(3)
    left = rng.uniform((0.0, 0.0), (0.5, 1.0), size=(EVAL_SAMPLES, 2))
    right = rng.uniform((0.5, 0.0), (1.0, 1.0), size=(EVAL_SAMPLES, 2))
    assert 0.78 < js_divergence(left, right, (0.0, 1.0, 0.0, 1.0)) < 0.86


def test_js_is_symmetric_and_kl_is_not():
    d, a, _ = _two_sets("two-gaussians")
    b = np.random.default_rng(4).uniform(0, 1, size=(EVAL_SAMPLES, 2))
    assert js_divergence(a, b, d.box) == pytest.approx(js_divergence(b, a, d.box), rel=1e-12)
    assert kl_divergence(a, b, d.box) != pytest.approx(kl_divergence(b, a, d.box), rel=0.05)


def test_the_uniform_square_and_a_fitted_gaussian_score_as_the_issue_says():
    d, a, _ = _two_sets("two-gaussians")
    rng = np.random.default_rng(5)
    uniform = rng.uniform(0, 1, size=(EVAL_SAMPLES, 2))
    fitted = rng.multivariate_normal(a.mean(axis=0), np.cov(a.T), size=EVAL_SAMPLES)
    assert js_divergence(a, uniform, d.box) == pytest.approx(0.34, abs=0.02)
    assert js_divergence(a, fitted, d.box) == pytest.approx(0.20, abs=0.02)


def test_points_outside_the_box_count_in_the_edge_bins():
    shares = grid_shares(np.array([[-5.0, 0.5], [9.0, 9.0], [np.nan, 0.2]]), (0, 1, 0, 1), bins=3)
    assert shares.sum() == pytest.approx(1.0)
    assert shares[1, 0] == pytest.approx(1 / 3) and shares[2, 2] == pytest.approx(1 / 3)


def test_a_generator_collapsed_to_one_point_covers_one_mode():
    d = make_distribution("ring")
    collapsed = np.tile(d.mode_centres[3] + 0.01, (EVAL_SAMPLES, 1))
    assert modes_covered(collapsed, d.mode_centres, d.sigma) == 1
    assert modes_covered(np.tile((0.5, 0.5), (100, 1)), d.mode_centres, d.sigma) == 0  # the empty centre


@pytest.mark.parametrize("name, count", [("ring", 8), ("grid", 25)])
def test_real_samples_cover_every_mode_and_half_of_them_half(name, count):
    d, a, _ = _two_sets(name)
    assert modes_covered(a, d.mode_centres, d.sigma) == count
    keep = np.argmin(((a[:, None] - d.mode_centres[None]) ** 2).sum(axis=2), axis=1) < count // 2
    assert modes_covered(a[keep], d.mode_centres, d.sigma) == count // 2


def test_a_mode_needs_one_percent_of_the_samples():
    d = make_distribution("ring")
    centres = d.mode_centres
    points = np.concatenate((np.tile(centres[0], (990, 1)), np.tile(centres[1], (10, 1))))
    assert mode_shares(points, centres, d.sigma)[1] == pytest.approx(0.01)
    assert modes_covered(points, centres, d.sigma) == 2
    assert modes_covered(points[1:], centres, d.sigma) == 2  # 10/999 > 1 %
    assert modes_covered(points[:991], centres, d.sigma) == 1  # 1/991 < 1 %


def test_evaluate_is_repeatable_and_names_its_metrics():
    gan = Gan(GanSpec(), "ring", seed=0)
    first, second = evaluate(gan), evaluate(gan)
    assert first == second
    assert set(first) == {"js_divergence", "kl_divergence", "modes_covered"}
    assert set(evaluate(Gan(GanSpec(), "two-gaussians", seed=0))) == {"js_divergence", "kl_divergence"}


def test_the_evaluator_measures_what_evaluate_does_and_follows_training():
    from nn_tui.kinds.gan.train import Evaluator, train

    gan = Gan(GanSpec(g_average=0.0), "grid", seed=1)
    measure = Evaluator(gan)
    assert measure(gan) == evaluate(gan)
    before = measure(gan)
    train(gan, 5)
    assert measure(gan) == evaluate(gan) != before
