"""`.npz` files with X and y, written here: images (N, H, W) / (N, C, H, W), tables, hostile arrays."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from nn_tui.data import BINARY, MULTICLASS, REGRESSION, DataError, load_images, load_npz


def save(tmp_path: Path, name="data.npz", **arrays) -> Path:
    path = tmp_path / name
    np.savez(path, **arrays)
    return path


def error_of(path, **kwargs) -> str:
    with pytest.raises(DataError) as info:
        load_npz(path, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


def digits_like(n=30, shape=(6, 5), classes=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 256, (n, *shape)).astype(np.uint8)
    y = np.arange(n) % classes
    return X, y


def test_grey_images_stay_uint8_and_split_stratified(tmp_path):
    X, y = digits_like()
    data = load_images(save(tmp_path, X=X, y=y), train_ratio=0.8, seed=1)
    assert data.X_train.dtype == np.uint8 and data.pixel_max == 255
    assert data.input_shape == (1, 6, 5) and len(data.X_train) == 24 and len(data.X_test) == 6
    assert data.task == MULTICLASS and data.class_names == ("class 0", "class 1", "class 2")
    # every row is one of the file's images with its own label
    rows = {X[i].tobytes(): y[i] for i in range(len(X))}
    for row, label in zip(data.X_train, data.labels(data.y_train)):
        assert rows[row.tobytes()] == label


def test_colour_images_channels_first_and_channels_last(tmp_path):
    X, y = digits_like(shape=(3, 6, 5))
    first = load_npz(save(tmp_path, "first.npz", X=X, y=y))
    assert first.input_shape == (3, 6, 5) and first.channels == 3
    last = load_npz(save(tmp_path, "last.npz", X=X.transpose(0, 2, 3, 1), y=y))
    assert last.input_shape == (3, 6, 5) and any("channels last" in note for note in last.notes)
    assert np.array_equal(first.X_train, last.X_train)


def test_text_labels_and_class_names(tmp_path):
    X, y = digits_like(classes=2)
    words = np.where(y == 0, "cat", "dog")
    assert load_npz(save(tmp_path, "a.npz", X=X, y=words)).class_names == ("cat", "dog")
    named = load_npz(save(tmp_path, "b.npz", X=X, y=y, class_names=np.array(["no", "yes"])))
    assert named.class_names == ("no", "yes") and named.task == MULTICLASS


def test_float_images_in_unit_range_are_taken_as_they_are(tmp_path):
    X, y = digits_like()
    data = load_npz(save(tmp_path, X=X / 255.0, y=y))
    assert data.pixel_max is None and data.X_train.dtype == np.float64
    assert np.allclose(data.floats(data.X_train), data.X_train)


def test_a_flat_table_is_standardised_classification_or_regression(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(5.0, 3.0, (50, 4))
    classes = load_npz(save(tmp_path, "c.npz", X=X, y=np.arange(50) % 2))
    assert classes.form == "table" and classes.task == MULTICLASS and classes.n_inputs == 4
    assert abs(classes.X_train.mean()) < 1e-9
    values = load_npz(save(tmp_path, "r.npz", X=X, y=X[:, 0] * 0.5 + 0.25))
    assert values.task == REGRESSION and values.y_train.shape == (40, 1)
    assert values.task != BINARY


# ----------------------------------------------------------------- hostile --


def test_object_arrays_are_refused_without_unpickling(tmp_path, monkeypatch):
    import pickle

    X, y = digits_like()
    path = save(tmp_path, X=np.array([object()] * len(y), dtype=object), y=y)
    monkeypatch.setattr(pickle, "load", lambda *a, **k: pytest.fail("unpickled"))
    assert "Python objects (a pickle)" in error_of(path)
    path = save(tmp_path, "y.npz", X=X, y=np.array([{"a": 1}] * len(y), dtype=object))
    assert "array y holds Python objects" in error_of(path)


def test_missing_arrays_are_named(tmp_path):
    X, _y = digits_like()
    message = error_of(save(tmp_path, images=X))
    assert "no array named X or y" in message and "images" in message


def test_labels_that_do_not_match_the_rows_are_refused(tmp_path):
    X, y = digits_like()
    assert "29 labels in y for 30 rows" in error_of(save(tmp_path, X=X, y=y[:-1]))


def test_one_class_is_refused(tmp_path):
    X, y = digits_like()
    assert "only one class" in error_of(save(tmp_path, X=X, y=np.zeros_like(y)))


def test_absurd_dims_and_out_of_range_pixels_are_refused(tmp_path):
    wide = np.zeros((4, 1, 5000), np.uint8)
    assert "1x5000 pixels" in error_of(save(tmp_path, "w.npz", X=wide, y=np.arange(4) % 2))
    X, y = digits_like()
    assert "outside [0, 1]" in error_of(save(tmp_path, "f.npz", X=X * 2.0, y=y))
    assert "outside 0..255" in error_of(save(tmp_path, "i.npz", X=X.astype(np.int32) * 2, y=y))
    assert "(N, H, W)" in error_of(save(tmp_path, "5.npz", X=np.zeros((2, 1, 1, 1, 1)), y=np.arange(2)))


def test_an_array_header_promising_too_much_is_refused_before_reading(tmp_path):
    X, y = digits_like()
    path = save(tmp_path, X=X, y=y)
    assert "nn-tui reads up to 100" in error_of(path, max_pixels=100)


def test_not_a_zip_and_a_truncated_zip_are_one_line(tmp_path):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"hello, I am not a zip file at all")
    assert "junk.npz" in error_of(junk)
    X, y = digits_like()
    path = save(tmp_path, X=X, y=y)
    path.write_bytes(path.read_bytes()[:300])
    assert "data.npz" in error_of(path)
    assert zipfile.is_zipfile(save(tmp_path, "ok.npz", X=X, y=y))
