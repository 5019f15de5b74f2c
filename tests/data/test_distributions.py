"""The GAN's real 2-D distributions and its noise: seeded, shaped, boxed."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui.data import DISTRIBUTIONS, DataError, make_distribution, sample_noise


@pytest.mark.parametrize("name", DISTRIBUTIONS)
def test_same_seed_same_points_bit_for_bit(name):
    d = make_distribution(name)
    a = d.sample(500, np.random.default_rng(7))
    b = d.sample(500, np.random.default_rng(7))
    assert a.shape == (500, 2) and a.dtype == np.float64
    assert a.tobytes() == b.tobytes()
    assert not np.array_equal(a, d.sample(500, np.random.default_rng(8)))


@pytest.mark.parametrize("name", DISTRIBUTIONS)
def test_nearly_all_points_lie_in_the_box(name):
    d = make_distribution(name)
    x = d.sample(20_000, np.random.default_rng(0))
    x_min, x_max, y_min, y_max = d.box
    inside = (x[:, 0] >= x_min) & (x[:, 0] <= x_max) & (x[:, 1] >= y_min) & (x[:, 1] <= y_max)
    # two-gaussians' tall ellipse (σ 0.2 around y 0.4) pokes out below: about 1.2 %
    assert inside.mean() > 0.98


@pytest.mark.parametrize("name, count", [("ring", 8), ("grid", 25)])
def test_mixtures_put_an_equal_share_within_three_sigma_of_each_mode(name, count):
    d = make_distribution(name)
    assert d.mode_centres.shape == (count, 2) and d.sigma > 0
    x = d.sample(40_000, np.random.default_rng(1))
    d2 = ((x[:, None, :] - d.mode_centres[None]) ** 2).sum(axis=2)
    nearest = d2.argmin(axis=1)
    shares = np.bincount(nearest, minlength=count) / len(x)
    np.testing.assert_allclose(shares, 1 / count, atol=0.01)
    # a 2-D Gaussian keeps 1 − e^(−9/2) ≈ 98.9 % of its mass within 3σ
    assert (np.sqrt(d2.min(axis=1)) <= 3 * d.sigma).mean() == pytest.approx(0.989, abs=0.005)


def test_modes_are_further_apart_than_two_coverage_radii():
    for name in ("ring", "grid"):
        d = make_distribution(name)
        c = d.mode_centres
        gaps = np.sqrt(((c[:, None] - c[None]) ** 2).sum(axis=2))[~np.eye(len(c), dtype=bool)]
        assert gaps.min() > 6 * d.sigma


def test_two_gaussians_halves_have_their_means_and_spreads():
    x = make_distribution("two-gaussians").sample(40_000, np.random.default_rng(2))
    left = x[:, 0] < 0.5
    np.testing.assert_allclose(left.mean(), 0.5, atol=0.02)
    np.testing.assert_allclose(x[left & (x[:, 1] > 0.45)].mean(axis=0), (0.3, 0.7), atol=0.02)


def test_three_regions_are_uniform_on_disjoint_patches():
    x = make_distribution("three-regions").sample(30_000, np.random.default_rng(3))
    # nothing in the gaps between the patches
    assert not ((x[:, 0] > 0.36) & (x[:, 0] < 0.54) & (x[:, 1] > 0.6)).any()
    assert not ((x[:, 1] > 0.36) & (x[:, 1] < 0.59)).any()


def test_line_is_a_thin_segment():
    x = make_distribution("line").sample(10_000, np.random.default_rng(4))
    # distance to the line through (0.8, 0.6) with direction (-0.75, 0.3)
    direction = np.array([-0.75, 0.3]) / np.hypot(0.75, 0.3)
    offset = x - (0.8, 0.6)
    distance = offset[:, 0] * direction[1] - offset[:, 1] * direction[0]  # signed
    assert distance.std() == pytest.approx(0.01, rel=0.1)


@pytest.mark.parametrize("kind", ["uniform", "gaussian"])
@pytest.mark.parametrize("dim", [1, 2, 8])
def test_noise_shapes_seeds_and_spread(kind, dim):
    z = sample_noise(50_000, dim, kind, np.random.default_rng(5), scale=2.0)
    assert z.shape == (50_000, dim)
    assert z.tobytes() == sample_noise(50_000, dim, kind, np.random.default_rng(5), scale=2.0).tobytes()
    if kind == "uniform":
        assert z.min() >= -2.0 and z.max() <= 2.0 and z.std() == pytest.approx(2 / np.sqrt(3), rel=0.02)
    else:
        assert z.std() == pytest.approx(2.0, rel=0.02)
    assert np.abs(z.mean(axis=0)).max() < 0.05


@pytest.mark.parametrize("bad", [dict(dim=0), dict(dim=17), dict(dim=2.0), dict(kind="cauchy"),
                                 dict(scale=0.0), dict(n=0)])
def test_bad_noise_settings_say_so(bad):
    args = dict(n=10, dim=2, kind="uniform", scale=1.0) | bad
    with pytest.raises(DataError):
        sample_noise(args["n"], args["dim"], args["kind"], np.random.default_rng(0), scale=args["scale"])


def test_unknown_distribution_names_the_choices():
    with pytest.raises(DataError, match="ring"):
        make_distribution("spiral")
