"""Load an ``.npz`` file with arrays ``X`` and ``y``, for data already in NumPy.

``X`` of shape (N, H, W) or (N, C, H, W) is images: uint8 (or integers 0..255) kept
as bytes and scaled a batch at a time, floats taken as they are if within [0, 1].
(N, H, W, C) with C of 1, 3 or 4 is turned channels first, with a note. ``X`` of
shape (N, features) is a table: standardised with the training rows' mean and std,
as the CSV loader does. ``y`` holds one class label per row (integers or text);
an optional ``class_names`` array names integer labels 0..k-1. Floats in ``y`` that
are not whole numbers make a table a regression (standardised too).

Never unpickles: ``allow_pickle=False``, so object arrays are refused.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from nn_tui.data.csv_columns import standardise
from nn_tui.data.dataset import MULTICLASS, REGRESSION, DataError, Dataset
from nn_tui.data.idx import open_binary
from nn_tui.data.image_sets import (
    DEFAULT_IMAGE_TRAIN_RATIO,
    MAX_CHANNELS,
    MAX_PIXELS,
    PIXEL_MAX,
    check_class_counts,
    check_image_size,
    class_indices,
    split_image_dataset,
)
from nn_tui.data.split import check_train_ratio, random_split, stratified_split

MAX_FEATURES = 100_000


def _read_arrays(path: Path, max_pixels: int) -> dict[str, np.ndarray]:
    """X, y and class_names (if present), each checked for size before it is read."""
    with open_binary(path) as handle:
        try:
            archive = np.load(handle, allow_pickle=False)
        except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
            raise DataError(f"{path}: not a readable .npz file ({error})") from None
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise DataError(f"{path}: a single array (.npy), not an .npz with X and y")
        with archive:
            missing = [key for key in ("X", "y") if key not in archive.files]
            if missing:
                raise DataError(f"{path}: no array named {' or '.join(missing)} (it holds: "
                                f"{', '.join(archive.files) or 'nothing'}); save with np.savez(path, X=..., y=...)")
            arrays = {}
            for key in ("X", "y", "class_names"):
                if key in archive.files:
                    arrays[key] = _read_member(archive, key, path, max_pixels)
    return arrays


def _read_member(archive, key: str, path: Path, max_pixels: int) -> np.ndarray:
    # The .npy header is read first; its promised size is checked before the data is.
    try:
        with archive.zip.open(f"{key}.npy") as member:
            version = np.lib.format.read_magic(member)
            read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                           (2, 0): np.lib.format.read_array_header_2_0}.get(version)
            if read_header is None:  # 3.0 only adds UTF-8 field names: structured arrays
                raise ValueError(f".npy format {version[0]}.{version[1]}")
            shape, _fortran, dtype = read_header(member)
    except (ValueError, OSError, KeyError, zipfile.BadZipFile, EOFError) as error:
        raise DataError(f"{path}: array {key} is unreadable ({error})") from None
    if dtype.hasobject:
        raise DataError(f"{path}: array {key} holds Python objects (a pickle); nn-tui reads plain numeric arrays")
    count = int(np.prod(shape, dtype=object))
    if count > max_pixels:
        raise DataError(f"{path}: array {key} has {count:,} values; nn-tui reads up to {max_pixels:,}")
    try:
        return archive[key]
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise DataError(f"{path}: array {key} is unreadable ({error})") from None


def _labels(y: np.ndarray, n: int, path: Path) -> np.ndarray:
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise DataError(f"{path}: y has shape {y.shape}; it must hold one label per row, shape (N,)")
    if len(y) != n:
        raise DataError(f"{path}: {len(y):,} labels in y for {n:,} rows in X")
    if y.dtype.kind not in "biufU":
        raise DataError(f"{path}: y of type {y.dtype}; labels must be numbers or text")
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise DataError(f"{path}: y holds NaN or infinite values")
    return y


def _images(X: np.ndarray, path: Path, notes: list[str]) -> tuple[np.ndarray, float | None]:
    """Images as (N, C, H, W), uint8 with pixel_max 255 or floats in [0, 1]."""
    if X.ndim == 3:
        X = X[:, None]
    elif X.shape[1] > MAX_CHANNELS and X.shape[3] in (1, 3, 4):
        X = X.transpose(0, 3, 1, 2)
        notes.append("X was channels last (N, H, W, C): turned channels first.")
    if X.dtype == np.uint8:
        return np.ascontiguousarray(X), PIXEL_MAX
    if X.dtype.kind in "biu":
        if X.size and (X.min() < 0 or X.max() > 255):
            raise DataError(f"{path}: integer pixels outside 0..255; store uint8 or floats in [0, 1]")
        return np.ascontiguousarray(X, dtype=np.uint8), PIXEL_MAX
    if X.dtype.kind == "f":
        if not np.all(np.isfinite(X)) or (X.size and (X.min() < 0 or X.max() > 1)):
            raise DataError(f"{path}: float pixels outside [0, 1] (or NaN); scale them to [0, 1] or store uint8")
        return np.ascontiguousarray(X), None
    raise DataError(f"{path}: X of type {X.dtype}; pixels must be numbers")


def load_npz(path, train_ratio: float = DEFAULT_IMAGE_TRAIN_RATIO, seed: int = 0,
             max_pixels: int = MAX_PIXELS) -> Dataset:
    path = Path(path)
    ratio = check_train_ratio(train_ratio)
    arrays = _read_arrays(path, max_pixels)
    X = arrays["X"]
    if X.ndim not in (2, 3, 4) or len(X) == 0:
        raise DataError(f"{path}: X has shape {X.shape}; expected (N, H, W), (N, C, H, W) or (N, features)")
    y = _labels(arrays["y"], len(X), path)
    if X.ndim == 2:
        return _table(path, X, y, ratio, seed)
    notes: list[str] = []
    images, pixel_max = _images(X, path, notes)
    n, channels, height, width = images.shape
    check_image_size(n, channels, height, width, str(path), max_pixels)
    classes = np.unique(y)
    names = _class_names(arrays.get("class_names"), classes, path)
    indices = class_indices(y, classes)
    check_class_counts(indices, names, str(path))
    notes.insert(0, f"{path.name}: {n:,} images of {channels}x{height}x{width}"
                    + (", kept as bytes (0-255) and scaled to [0, 1] a batch at a time." if pixel_max else "."))
    return split_image_dataset(path.stem, images.reshape(n, -1), indices, names, channels, (height, width),
                               notes, ratio, seed, pixel_max)


def _class_names(given, classes: np.ndarray, path: Path) -> tuple[str, ...]:
    if classes.dtype.kind == "U":
        return tuple(str(value) for value in classes)
    if given is not None:
        if given.ndim != 1 or given.dtype.kind != "U":
            raise DataError(f"{path}: class_names must be a 1-D array of text")
        if classes.dtype.kind == "f" or classes.min() < 0 or classes.max() >= len(given):
            raise DataError(f"{path}: {len(given)} class_names, but labels run {classes.min()}..{classes.max()}")
        return tuple(str(given[int(value)]) for value in classes)
    return tuple(f"class {value:g}" if classes.dtype.kind == "f" else f"class {value}" for value in classes)


def _table(path: Path, X: np.ndarray, y: np.ndarray, ratio: float, seed: int) -> Dataset:
    if X.dtype.kind not in "biuf":
        raise DataError(f"{path}: X of type {X.dtype}; features must be numbers")
    if X.shape[1] == 0 or X.shape[1] > MAX_FEATURES:
        raise DataError(f"{path}: X has {X.shape[1]:,} features; nn-tui takes 1 to {MAX_FEATURES:,}")
    X = np.asarray(X, dtype=np.float64)
    if not np.all(np.isfinite(X)):
        raise DataError(f"{path}: X holds NaN or infinite values")
    rng = np.random.default_rng(seed)
    notes = [f"{path.name}: {len(X):,} rows of {X.shape[1]} features, standardised with the training rows' mean and std."]
    regression = y.dtype.kind == "f" and not np.all(y == np.round(y))
    if regression:
        train_idx, test_idx = random_split(len(X), ratio, rng)
        targets, mean, std = standardise(y.astype(np.float64), train_idx)
        targets = targets[:, None]
        notes.append(f"y standardised: mean {mean:.6g}, std {std:.6g}.")
        task, names = REGRESSION, None
    else:
        classes = np.unique(y)
        names = _class_names(None, classes, path)
        indices = class_indices(y, classes)
        check_class_counts(indices, names, str(path))
        train_idx, test_idx = stratified_split(indices, ratio, rng)
        targets, task = np.eye(len(classes))[indices], MULTICLASS
    columns = [standardise(X[:, column], train_idx)[0] for column in range(X.shape[1])]
    inputs = np.stack(columns, axis=1)
    return Dataset(name=path.stem, task=task, X_train=inputs[train_idx], y_train=targets[train_idx],
                   X_test=inputs[test_idx], y_test=targets[test_idx],
                   input_names=tuple(f"x{column}" for column in range(X.shape[1])), class_names=names,
                   notes=tuple(notes))
