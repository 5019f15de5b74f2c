import gzip

import numpy as np
import pytest

from nn_tui.data.dataset import MULTICLASS, DataError
from nn_tui.data.digits import DIGITS_PATH, _read_digits_table, load_digits


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_shapes_and_metadata(digits):
    assert len(digits.X_train) + len(digits.X_test) == 1797
    assert digits.X_train.shape[1] == 64 and digits.y_train.shape[1] == 10
    assert len(digits.X_train) == pytest.approx(0.75 * 1797, abs=5)
    assert digits.task == MULTICLASS and digits.image_shape == (8, 8)
    assert digits.class_names == tuple("0123456789")
    assert len(digits.input_names) == 64
    assert digits.input_names[0] == "px0_0" and digits.input_names[9] == "px1_1"
    assert digits.input_names[-1] == "px7_7"
    assert not digits.is_plane


def test_values_scaled_to_unit_range_and_one_hot_targets(digits):
    X = np.vstack([digits.X_train, digits.X_test])
    y = np.vstack([digits.y_train, digits.y_test])
    assert X.dtype == np.float64 and X.min() == 0.0 and X.max() == 1.0
    assert np.all(y.sum(axis=1) == 1.0) and set(np.unique(y)) == {0.0, 1.0}
    assert np.all(y.sum(axis=0) > 170)  # all 10 classes, roughly 180 each


def test_first_image_is_a_zero():
    table = _read_digits_table(DIGITS_PATH)
    assert table.shape == (1797, 65)
    assert table[0, 64] == 0
    image = table[0, :64].reshape(8, 8)
    # A zero: an empty middle surrounded by ink.
    assert image[3:5, 3:5].max() == 0 and image[3:5, 1].min() > 0 and image[3:5, 6].min() > 0


def test_first_image_keeps_its_label_after_the_split(digits):
    first = _read_digits_table(DIGITS_PATH)[0, :64] / 16
    X = np.vstack([digits.X_train, digits.X_test])
    y = np.vstack([digits.y_train, digits.y_test])
    matches = np.flatnonzero(np.all(X == first, axis=1))
    assert matches.size >= 1 and np.all(y[matches].argmax(axis=1) == 0)


def test_split_is_stratified(digits):
    counts = digits.y_train.sum(axis=0) + digits.y_test.sum(axis=0)
    np.testing.assert_allclose(digits.y_train.sum(axis=0) / counts, 0.75, atol=0.01)


def test_train_ratio_and_determinism(digits):
    half = load_digits(train_ratio=0.5, seed=0)
    assert len(half.X_train) == pytest.approx(898, abs=5)
    again = load_digits()
    assert digits.X_train.tobytes() == again.X_train.tobytes()
    assert digits.y_test.tobytes() == again.y_test.tobytes()
    assert not np.array_equal(digits.X_train, load_digits(seed=1).X_train)


def test_missing_file_raises(tmp_path):
    with pytest.raises(DataError, match="not found"):
        load_digits(path=tmp_path / "missing.csv.gz")


def test_malformed_file_raises(tmp_path):
    bad = tmp_path / "bad.csv.gz"
    with gzip.open(bad, "wt") as handle:
        handle.write("1,2,3\n4,5,6\n")
    with pytest.raises(DataError, match="columns"):
        load_digits(path=bad)
    not_gzip = tmp_path / "plain.csv.gz"
    not_gzip.write_text("hello")
    with pytest.raises(DataError):
        load_digits(path=not_gzip)


def test_bad_train_ratio_raises():
    with pytest.raises(DataError, match="train ratio"):
        load_digits(train_ratio=0.99)
