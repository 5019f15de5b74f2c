"""IDX files (MNIST's format), written here: pairing, class names, uint8 storage, hostile headers."""

from __future__ import annotations

import gzip
import os
import struct
from pathlib import Path

import numpy as np
import pytest

from nn_tui.data import DataError, load_idx, load_images
from nn_tui.data.idx import read_idx
from nn_tui.data.idx_sets import FASHION_NAMES


def idx_bytes(array: np.ndarray, type_code: int = 0x08) -> bytes:
    header = struct.pack(">BBBB", 0, 0, type_code, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write(path: Path, data: bytes, gz: bool) -> Path:
    if gz:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


def make_set(folder: Path, n_train=40, n_test=20, size=(5, 4), classes=4, gz=False, test=True, seed=0,
             prefix=""):
    """train/t10k images and labels, MNIST's names; pixel (0, 0) of an image is its label."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    paths = {}
    for part, n in (("train", n_train), ("t10k", n_test)):
        if part == "t10k" and not test:
            continue
        labels = (np.arange(n) % classes).astype(np.uint8)
        images = rng.integers(0, 256, (n, *size)).astype(np.uint8)
        images[:, 0, 0] = labels
        paths[part] = write(folder / f"{prefix}{part}-images-idx3-ubyte", idx_bytes(images), gz)
        write(folder / f"{prefix}{part}-labels-idx1-ubyte", idx_bytes(labels), gz)
    return paths


def error_of(*args, **kwargs) -> str:
    with pytest.raises(DataError) as info:
        load_idx(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("gz", [False, True])
def test_the_labels_and_the_test_pair_are_found_beside_the_training_images(tmp_path, gz):
    paths = make_set(tmp_path / "mnist", gz=gz)
    data = load_idx(paths["train"])
    assert data.X_train.dtype == np.uint8 and data.X_train.shape == (40, 20)
    assert data.X_test.shape == (20, 20) and data.pixel_max == 255
    assert data.image_shape == (5, 4) and data.input_shape == (1, 5, 4)
    # the test pair is the held-out set, in file order, labels matching images
    assert list(data.labels(data.y_test)) == [i % 4 for i in range(20)]
    assert list(data.X_train[:, 0]) == list(data.labels(data.y_train))
    assert data.class_names == ("0", "1", "2", "3")
    assert any("t10k-images" in note for note in data.notes)


def test_a_folder_of_idx_files_loads_like_its_training_images(tmp_path):
    make_set(tmp_path / "set", gz=True)
    data = load_images(tmp_path / "set")
    assert data.X_train.shape == (40, 20) and data.X_test.shape == (20, 20)


def test_without_a_test_pair_the_training_file_is_split_stratified(tmp_path):
    paths = make_set(tmp_path / "m", n_train=40, test=False)
    data = load_idx(paths["train"], train_ratio=0.75, seed=3)
    assert len(data.X_train) == 32 and len(data.X_test) == 8  # 10 per class: 8 train, 2 test
    assert np.bincount(data.labels(data.y_test)).tolist() == [2, 2, 2, 2]
    again = load_idx(paths["train"], train_ratio=0.75, seed=3)
    assert np.array_equal(data.X_train, again.X_train)  # same seed, same split
    assert list(data.X_train[:, 0]) == list(data.labels(data.y_train))


def test_explicit_labels_and_test_files_override_the_names(tmp_path):
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (12, 3, 3)).astype(np.uint8)
    labels = (np.arange(12) % 3).astype(np.uint8)
    a = write(tmp_path / "pictures.bin", idx_bytes(images), False)
    b = write(tmp_path / "answers.bin", idx_bytes(labels), True)
    c = write(tmp_path / "more.bin", idx_bytes(images[:6]), False)
    d = write(tmp_path / "more-answers.bin", idx_bytes(labels[:6]), False)
    data = load_idx(a, labels=b, test_data=c, test_labels=d)
    assert len(data.X_train) == 12 and len(data.X_test) == 6
    assert "--labels" in error_of(tmp_path / "pictures.bin")
    assert "--test-labels" in error_of(a, labels=b, test_data=c)


def test_fashion_mnist_is_known_by_its_folder_name(tmp_path):
    paths = make_set(tmp_path / "Fashion-MNIST", classes=10)
    assert load_idx(paths["train"]).class_names == FASHION_NAMES
    plain = make_set(tmp_path / "mnist", classes=10)
    assert load_idx(plain["train"]).class_names == tuple("0123456789")


def test_emnist_letters_are_named_and_turned_upright(tmp_path):
    folder = tmp_path / "gzip"
    folder.mkdir()
    images = np.zeros((4, 3, 3), dtype=np.uint8)
    images[:, 0, 2] = 200  # stored transposed: upright, this pixel is row 2, column 0
    labels = np.array([1, 2, 1, 2], dtype=np.uint8)  # letters are labelled from 1
    write(folder / "emnist-letters-train-images-idx3-ubyte", idx_bytes(images), True)
    write(folder / "emnist-letters-train-labels-idx1-ubyte", idx_bytes(labels), True)
    data = load_idx(folder / "emnist-letters-train-images-idx3-ubyte.gz", train_ratio=0.5)
    assert data.class_names == ("a", "b") and data.name == "emnist-letters"
    assert np.all(data.images(data.X_train)[:, 0, 2, 0] == 200 / 255)


def test_the_per_batch_float_view_scales_to_unit_range(tmp_path):
    paths = make_set(tmp_path / "m")
    data = load_idx(paths["train"])
    batch = data.images(data.X_train, np.array([3, 1]), dtype=np.float32)
    assert batch.dtype == np.float32 and batch.shape == (2, 1, 5, 4)
    assert np.array_equal(batch[0, 0], data.X_train[3].reshape(5, 4) / np.float32(255))
    assert data.X_train.dtype == np.uint8  # the set itself was not converted


# ----------------------------------------------------------------- hostile --


@pytest.mark.parametrize("gz", [False, True])
def test_a_wrong_magic_number_is_refused(tmp_path, gz):
    paths = make_set(tmp_path / "m", gz=gz)
    data = bytearray(gzip.decompress(paths["train"].read_bytes()) if gz else paths["train"].read_bytes())
    data[0:2] = b"PK"
    write(tmp_path / "m" / "train-images-idx3-ubyte", bytes(data), gz)
    assert "wrong magic number" in error_of(paths["train"])


def test_another_value_type_or_dimension_count_is_refused(tmp_path):
    paths = make_set(tmp_path / "m")
    data = bytearray(paths["train"].read_bytes())
    data[2] = 0x0D
    paths["train"].write_bytes(bytes(data))
    assert "float" in error_of(paths["train"])
    labels = tmp_path / "flat-labels"
    labels.write_bytes(idx_bytes(np.zeros((40, 2), np.uint8)))
    make_set(tmp_path / "m")  # images fine again
    assert "2 dimension(s), expected 1" in error_of(paths["train"], labels=labels)


@pytest.mark.parametrize("gz", [False, True])
def test_a_truncated_file_is_refused(tmp_path, gz):
    paths = make_set(tmp_path / "m")
    whole = paths["train"].read_bytes()
    write(tmp_path / "m" / "train-images-idx3-ubyte", whole[:-7], gz)
    assert "truncated" in error_of(tmp_path / "m" / ("train-images-idx3-ubyte" + (".gz" if gz else "")))


def test_a_file_longer_than_its_header_is_refused(tmp_path):
    paths = make_set(tmp_path / "m")
    paths["train"].write_bytes(paths["train"].read_bytes() + b"\0")
    assert "longer than its header" in error_of(paths["train"])


def test_a_truncated_gzip_stream_is_refused(tmp_path):
    paths = make_set(tmp_path / "m", gz=True)
    paths["train"].write_bytes(paths["train"].read_bytes()[:-30])
    assert "train-images" in error_of(paths["train"])


def test_labels_that_do_not_match_the_images_in_count_are_refused(tmp_path):
    paths = make_set(tmp_path / "m")
    (tmp_path / "m" / "train-labels-idx1-ubyte").write_bytes(idx_bytes(np.zeros(39, np.uint8)))
    assert "39 labels for the 40 images" in error_of(paths["train"])


def test_one_class_is_refused(tmp_path):
    paths = make_set(tmp_path / "m", classes=1, test=False)
    assert "only one class" in error_of(paths["train"])


@pytest.mark.parametrize("gz", [False, True])
def test_a_billion_pixels_promised_in_a_header_are_refused_before_allocation(tmp_path, gz):
    header = struct.pack(">BBBBIII", 0, 0, 8, 3, 1000, 1000, 1000)
    path = write(tmp_path / "train-images-idx3-ubyte", header + bytes(100), gz)
    assert "promises 1,000,000,000 values" in error_of(path, labels=path)
    # under the limit but far more than the file holds: refused from the file's length, not by reading
    small = struct.pack(">BBBBIII", 0, 0, 8, 3, 100_000, 28, 28)
    path = write(tmp_path / "small-images-idx3-ubyte", small + bytes(100), gz)
    assert "truncated" in error_of(path, labels=path)


@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_checks_the_header_against_the_file_length_before_allocating(tmp_path, gz):
    # 10^12 values (a terabyte) promised by a 116-byte file, with the limit lifted: without the
    # check against the file's length, np.empty would be asked for the terabyte (MemoryError)
    header = struct.pack(">BBBBIII", 0, 0, 8, 3, 10_000, 10_000, 10_000)
    path = write(tmp_path / "x", header + bytes(100), gz)
    with pytest.raises(DataError, match="truncated"):
        read_idx(path, 3, max_values=10**13)


def test_absurd_image_sides_are_refused(tmp_path):
    images = np.zeros((2, 1, 5000), np.uint8)
    a = write(tmp_path / "wide-images", idx_bytes(images), False)
    b = write(tmp_path / "wide-labels", idx_bytes(np.array([0, 1], np.uint8)), False)
    assert "1x5000 pixels" in error_of(a, labels=b)


def test_a_symlink_loop_is_refused(tmp_path):
    loop = tmp_path / "train-images-idx3-ubyte"
    os.symlink(loop, loop)
    assert "symbolic link loop" in error_of(loop, labels=loop)


def test_a_missing_file_is_one_line(tmp_path):
    assert "no such file" in error_of(tmp_path / "nope", labels=tmp_path / "nope")
