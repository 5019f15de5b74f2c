import math

import numpy as np
import pytest

from nn_tui.data.dataset import DataError
from nn_tui.data.features import (
    DEFAULT_FEATURES,
    FEATURE_LABELS,
    FEATURES,
    expand_features,
    parse_features,
    plane_grid,
)


def test_feature_ids_labels_and_defaults():
    assert FEATURES == ("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")
    assert set(FEATURE_LABELS) == set(FEATURES)
    assert FEATURE_LABELS["x1sq"] == "X₁²" and FEATURE_LABELS["sinx2"] == "sin(X₂)"
    assert DEFAULT_FEATURES == ("x1", "x2")


def test_expand_features_values_are_raw():
    points = np.array([[2.0, -3.0], [-6.0, 6.0]])
    expanded = expand_features(points, FEATURES)
    expected = np.array(
        [
            [2.0, -3.0, 4.0, 9.0, -6.0, math.sin(2.0), math.sin(-3.0)],
            [-6.0, 6.0, 36.0, 36.0, -36.0, math.sin(-6.0), math.sin(6.0)],
        ]
    )
    assert expanded.dtype == np.float64 and expanded.shape == (2, 7)
    np.testing.assert_allclose(expanded, expected, rtol=0, atol=1e-15)


def test_expand_features_keeps_the_given_order():
    points = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    expanded = expand_features(points, ["x2sq", "x1"])
    assert expanded.shape == (3, 2)
    np.testing.assert_array_equal(expanded, [[4.0, 1.0], [16.0, 3.0], [36.0, 5.0]])


def test_expand_features_accepts_integer_points():
    expanded = expand_features(np.array([[1, 2]]), ("x1x2",))
    assert expanded.dtype == np.float64 and expanded[0, 0] == 2.0


@pytest.mark.parametrize("names", [[], ["x3"], ["x1", "X1"], ["x1", "x1"]])
def test_bad_feature_lists_raise(names):
    with pytest.raises(DataError) as error:
        expand_features(np.zeros((2, 2)), names)
    assert "\n" not in str(error.value)


def test_unknown_feature_message_names_valid_ids():
    with pytest.raises(DataError, match="x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2"):
        expand_features(np.zeros((2, 2)), ["cosx1"])


def test_points_must_have_two_columns():
    with pytest.raises(DataError):
        expand_features(np.zeros((4, 3)), ["x1"])
    with pytest.raises(DataError):
        expand_features(np.zeros(4), ["x1"])


def test_parse_features():
    assert parse_features("x1,x2,x1sq") == ("x1", "x2", "x1sq")
    assert parse_features(" sinx1 , x1x2 ") == ("sinx1", "x1x2")
    for bad in ("", " , ", "x1,foo", "x1,x1"):
        with pytest.raises(DataError):
            parse_features(bad)


def test_plane_grid_layout_top_to_bottom_left_to_right():
    points, xs, ys = plane_grid((-6.0, 6.0), 3)
    np.testing.assert_array_equal(xs, [-6.0, 0.0, 6.0])
    np.testing.assert_array_equal(ys, [6.0, 0.0, -6.0])
    assert points.shape == (9, 2)
    np.testing.assert_array_equal(points[0], [-6.0, 6.0])  # top-left
    np.testing.assert_array_equal(points[2], [6.0, 6.0])  # top-right
    np.testing.assert_array_equal(points[6], [-6.0, -6.0])  # bottom-left
    np.testing.assert_array_equal(points[8], [6.0, -6.0])  # bottom-right


def test_plane_grid_reshapes_to_screen_rows_and_columns():
    resolution = 7
    points, xs, ys = plane_grid((-6.0, 6.0), resolution)
    as_image_x1 = points[:, 0].reshape(resolution, resolution)
    as_image_x2 = points[:, 1].reshape(resolution, resolution)
    for i in range(resolution):
        for j in range(resolution):
            assert as_image_x1[i, j] == xs[j] and as_image_x2[i, j] == ys[i]
    assert np.all(np.diff(xs) > 0) and np.all(np.diff(ys) < 0)


@pytest.mark.parametrize("domain, resolution", [((-6, 6), 1), ((-6, 6), 0), ((6, -6), 5), ((1, 1), 5)])
def test_plane_grid_bad_arguments(domain, resolution):
    with pytest.raises(DataError):
        plane_grid(domain, resolution)
