import math

import numpy as np
import pytest

from nn_tui.data.dataset import BINARY, MULTICLASS, REGRESSION, DataError, Dataset
from nn_tui.data.toy import DEFAULT_SAMPLES, SINE_RANGE, TOY_DATASETS, make_toy

CLASSIFICATION = ("circle", "xor", "gauss", "spiral", "moons")
PLANE_REGRESSION = ("reg-plane", "reg-gauss")


def _all_rows(data: Dataset):
    return np.vstack([data.X_train, data.X_test]), np.vstack([data.y_train, data.y_test])


def test_names():
    assert TOY_DATASETS == (
        "circle", "xor", "gauss", "spiral", "reg-plane", "reg-gauss", "moons", "blobs", "sine",
    )


def test_playground_default_sample_counts():
    for name in CLASSIFICATION + ("blobs",):
        assert DEFAULT_SAMPLES[name] == 500
    for name in PLANE_REGRESSION:
        assert DEFAULT_SAMPLES[name] == 1200


@pytest.mark.parametrize("name", TOY_DATASETS)
def test_shapes_and_metadata(name):
    data = make_toy(name)
    n = DEFAULT_SAMPLES[name]
    assert len(data.X_train) + len(data.X_test) == n
    assert len(data.X_train) == pytest.approx(n / 2, abs=2)  # default train ratio 0.5
    assert len(data.y_train) == len(data.X_train) and len(data.y_test) == len(data.X_test)
    for array in (data.X_train, data.y_train, data.X_test, data.y_test):
        assert array.dtype == np.float64 and array.ndim == 2 and np.all(np.isfinite(array))
    assert data.name == name and data.notes
    if name == "sine":
        assert not data.is_plane and data.input_names == ("x",) and data.n_inputs == 1
        assert data.task == REGRESSION and data.class_names is None
    else:
        assert data.is_plane and data.domain == (-6.0, 6.0)
        assert data.input_names == ("x1", "x2") and data.n_inputs == 2
    if name in CLASSIFICATION:
        assert data.task == BINARY and data.n_outputs == 1
        assert data.class_names == ("negative", "positive")
        assert set(np.unique(_all_rows(data)[1])) == {0.0, 1.0}
    elif name == "blobs":
        assert data.task == MULTICLASS and data.n_outputs == 3 and data.class_names == ("0", "1", "2")
    elif name in PLANE_REGRESSION:
        assert data.task == REGRESSION and data.n_outputs == 1 and data.class_names is None


@pytest.mark.parametrize("name", TOY_DATASETS)
def test_same_seed_same_bits_other_seed_other_data(name):
    first = make_toy(name, noise=0.2, seed=7)
    second = make_toy(name, noise=0.2, seed=7)
    other = make_toy(name, noise=0.2, seed=8)
    for field in ("X_train", "y_train", "X_test", "y_test"):
        assert getattr(first, field).tobytes() == getattr(second, field).tobytes()
    assert not np.array_equal(first.X_train, other.X_train)


@pytest.mark.parametrize("name", ("circle", "gauss", "spiral", "moons"))
def test_half_and_half_sets_are_balanced_in_both_parts(name):
    data = make_toy(name, samples=301)
    X, y = _all_rows(data)
    assert int(y.sum()) == 151  # the first (positive) class takes the odd sample
    # Stratified: each part keeps the 50/50 balance to within one row.
    assert abs(data.y_train.sum() - len(data.y_train) / 2) <= 1
    assert abs(data.y_test.sum() - len(data.y_test) / 2) <= 1


def test_xor_is_roughly_balanced():
    _, y = _all_rows(make_toy("xor", seed=0))
    assert 0.4 < y.mean() < 0.6


def test_circle_noise_free_labels_follow_the_radius():
    X, y = _all_rows(make_toy("circle", seed=1))
    radius = np.hypot(X[:, 0], X[:, 1])
    assert np.array_equal(y[:, 0] == 1.0, radius < 2.5)
    assert not np.any((radius >= 2.5) & (radius < 3.5))  # the gap between the classes
    assert radius.max() <= 5.0


def test_circle_noise_flips_labels_near_the_ring():
    X, y = _all_rows(make_toy("circle", noise=0.5, seed=1))
    radius = np.hypot(X[:, 0], X[:, 1])
    assert not np.array_equal(y[:, 0] == 1.0, radius < 2.5)


def test_xor_noise_free_labels_follow_the_quadrant():
    X, y = _all_rows(make_toy("xor", seed=2))
    assert np.array_equal(y[:, 0] == 1.0, X[:, 0] * X[:, 1] >= 0)
    assert np.all(np.abs(X) >= 0.3) and np.all(np.abs(X) <= 5.3)


@pytest.mark.parametrize("seed", range(5))
def test_gauss_noise_free_is_split_by_the_diagonal(seed):
    # The Gaussians are unbounded: about 1 seed in 70 puts one point across
    # x1 + x2 = 0 (4 standard deviations). These seeds do not.
    X, y = _all_rows(make_toy("gauss", seed=seed))
    assert np.array_equal(y[:, 0] == 1.0, X.sum(axis=1) > 0)


def test_gauss_noise_widens_the_clouds():
    def spread(noise):
        X, y = _all_rows(make_toy("gauss", noise=noise))
        centres = np.where(y == 1.0, 2.0, -2.0)  # (2, 2) for positives, (-2, -2) otherwise
        return np.std(X - centres)

    # Variance 0.5 → 4 as in the Playground: standard deviation ×√8.
    assert spread(0.5) / spread(0.0) == pytest.approx(math.sqrt(8), rel=0.1)


def test_spiral_noise_free_shape():
    X, y = _all_rows(make_toy("spiral"))
    assert np.hypot(X[:, 0], X[:, 1]).max() < 5.0
    # The two arms are point reflections of each other.
    positive, negative = X[y[:, 0] == 1.0], X[y[:, 0] == 0.0]
    np.testing.assert_allclose(np.sort(positive[:, 0]), np.sort(-negative[:, 0]), atol=1e-12)


def test_reg_plane_noise_free_target():
    X, y = _all_rows(make_toy("reg-plane", seed=3))
    np.testing.assert_allclose(y[:, 0], np.clip(X.sum(axis=1) / 10, -1, 1), rtol=0, atol=1e-15)
    assert np.all(np.abs(X) <= 6.0)


def test_reg_gauss_targets_and_bump_signs():
    X, y = _all_rows(make_toy("reg-gauss", seed=4))
    assert np.all(np.abs(y) <= 1.0) and np.all(np.abs(X) <= 6.0)
    near_positive = np.hypot(X[:, 0] - 4, X[:, 1] - 2.5) < 1.0
    near_negative = np.hypot(X[:, 0] - 0, X[:, 1] - 2.5) < 1.0
    assert near_positive.any() and near_negative.any()
    assert np.all(y[near_positive, 0] > 0.5) and np.all(y[near_negative, 0] < -0.5)
    far = np.min([np.hypot(X[:, 0] - cx, X[:, 1] - cy) for cx in (-4, 0, 4) for cy in (-2.5, 2.5)], axis=0) > 2
    assert np.all(y[far, 0] == 0.0)


def test_regression_noise_changes_targets():
    X, y = _all_rows(make_toy("reg-plane", noise=0.3, seed=3))
    assert not np.allclose(y[:, 0], np.clip(X.sum(axis=1) / 10, -1, 1))


def test_moons_fit_the_plane():
    X, y = _all_rows(make_toy("moons"))
    assert np.all(np.abs(X) <= 6.0)
    # The upper moon reaches higher, the lower moon lower.
    upper, lower = X[y[:, 0] == 1.0], X[y[:, 0] == 0.0]
    assert upper[:, 1].max() > lower[:, 1].max() and lower[:, 1].min() < upper[:, 1].min()


@pytest.mark.parametrize("classes", [3, 4, 5, 6])
def test_blobs_classes(classes):
    data = make_toy("blobs", classes=classes, samples=600, seed=5)
    X, y = _all_rows(data)
    assert y.shape == (600, classes) and np.all(y.sum(axis=1) == 1.0)
    assert data.class_names == tuple(str(k) for k in range(classes))
    counts = y.sum(axis=0)
    assert counts.max() - counts.min() <= 1
    train_share = data.y_train.sum(axis=0) / counts
    np.testing.assert_allclose(train_share, 0.5, atol=0.02)
    # Each class sits around its own centre: class means are far apart.
    means = np.array([X[y[:, k] == 1].mean(axis=0) for k in range(classes)])
    gaps = np.linalg.norm(means[:, None] - means[None, :], axis=2) + np.eye(classes) * 99
    assert gaps.min() > 2.5


def test_sine_targets():
    data = make_toy("sine", seed=6)
    X, y = _all_rows(data)
    assert y.shape == (400, 1) and X.shape == (400, 1)
    np.testing.assert_allclose(y, np.sin(X), rtol=0, atol=0)
    assert SINE_RANGE[0] <= X.min() and X.max() <= SINE_RANGE[1]
    assert data.domain == SINE_RANGE
    noisy_X, noisy_y = _all_rows(make_toy("sine", noise=0.1, seed=6))
    assert 0.05 < np.std(noisy_y - np.sin(noisy_X)) < 0.15


@pytest.mark.parametrize("ratio, expected_train", [(0.1, 50), (0.3, 150), (0.8, 400), (0.9, 450)])
def test_train_ratio_is_honoured(ratio, expected_train):
    data = make_toy("circle", train_ratio=ratio)
    assert len(data.X_train) == expected_train and len(data.X_test) == 500 - expected_train
    assert data.y_train.sum() == expected_train / 2  # stratified


def test_train_ratio_for_regression():
    data = make_toy("reg-gauss", samples=100, train_ratio=0.7)
    assert len(data.X_train) == 70 and len(data.X_test) == 30


def test_sample_count_is_exact():
    for name in TOY_DATASETS:
        data = make_toy(name, samples=37)
        assert len(data.X_train) + len(data.X_test) == 37


def test_unknown_name_lists_valid_names():
    with pytest.raises(DataError) as error:
        make_toy("donut")
    message = str(error.value)
    assert "donut" in message and "\n" not in message
    assert all(name in message for name in TOY_DATASETS)


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"noise": -0.1}, "noise"),
        ({"noise": 0.51}, "noise"),
        ({"noise": float("nan")}, "noise"),
        ({"noise": "lots"}, "noise"),
        ({"train_ratio": 0.05}, "train ratio"),
        ({"train_ratio": 0.95}, "train ratio"),
        ({"samples": 9}, "samples"),
        ({"samples": 0}, "samples"),
        ({"samples": 12.5}, "samples"),
        ({"samples": 10**9}, "samples"),
        ({"classes": 3}, "classes"),
    ],
)
def test_bad_arguments_raise(kwargs, fragment):
    with pytest.raises(DataError, match=fragment) as error:
        make_toy("circle", **kwargs)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("classes", [2, 7, 3.0, True])
def test_bad_blob_classes_raise(classes):
    with pytest.raises(DataError, match="classes"):
        make_toy("blobs", classes=classes)


def test_boundary_arguments_are_accepted():
    make_toy("circle", samples=10, noise=0.5, train_ratio=0.9)
    make_toy("blobs", samples=10, classes=3, noise=0.0, train_ratio=0.1)
    make_toy("sine", samples=np.int64(10))
