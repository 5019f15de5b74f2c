"""What every image loader shares: the size limits, and building a ``Dataset`` of
uint8 images and class labels (one-hot targets, a stratified held-out split).

Images stay uint8 in the Dataset (``pixel_max=255``), flattened to rows of C*H*W
pixels channels first, as the digits are; ``Dataset.floats``/``images`` scale a
batch at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from nn_tui.data.dataset import MULTICLASS, DataError, Dataset
from nn_tui.data.split import check_train_ratio, stratified_split

# All images of a data set together, in pixels (bytes as uint8). EMNIST ByClass, the
# largest of the MNIST family, has 814,255 28x28 images: 638 M. A header promising
# 10^9 pixels is refused before anything is allocated.
MAX_PIXELS = 700_000_000
MAX_SIDE = 2048  # pixels along an image's side; the engine's convolutions crawl long before this
MAX_CHANNELS = 4
MIN_IMAGES_PER_CLASS = 2  # one to train on and one to test with
DEFAULT_IMAGE_TRAIN_RATIO = 0.8
PIXEL_MAX = 255.0


def check_image_size(n: int, channels: int, height: int, width: int, source: str,
                     max_pixels: int = MAX_PIXELS) -> None:
    """Refuse absurd image dimensions before any array of them exists."""
    if height < 1 or width < 1 or height > MAX_SIDE or width > MAX_SIDE:
        raise DataError(f"{source}: images of {height}x{width} pixels; nn-tui takes 1 to {MAX_SIDE} a side")
    if not 1 <= channels <= MAX_CHANNELS:
        raise DataError(f"{source}: images with {channels} channels; nn-tui takes 1 (grey) to {MAX_CHANNELS}")
    total = n * channels * height * width  # Python ints: no overflow
    if total > max_pixels:
        raise DataError(f"{source}: {n:,} images of {channels}x{height}x{width} are {total:,} pixels; "
                        f"nn-tui holds up to {max_pixels:,}")


def class_indices(labels: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Each label's position in the sorted ``classes``."""
    return np.searchsorted(classes, labels).astype(np.int64)


def check_class_counts(labels: np.ndarray, names: Sequence[str], source: str) -> None:
    """At least two classes, each with enough images to split."""
    counts = np.bincount(labels, minlength=len(names))
    if len(names) < 2:
        only = f" ({names[0]!r})" if names else ""
        raise DataError(f"{source}: only one class{only}; a classifier needs at least two")
    thin = int(np.argmin(counts))
    if counts[thin] < MIN_IMAGES_PER_CLASS:
        raise DataError(f"{source}: class {names[thin]!r} has {counts[thin]} image(s); each class needs "
                        f"at least {MIN_IMAGES_PER_CLASS}, one to train on and one to test with")


def class_names_for(classes: np.ndarray, known: Mapping[int, str] | Sequence[str] | None) -> tuple[str, ...]:
    """Names for the sorted label values: from ``known`` (a value -> name mapping, or a
    sequence indexed by value) where it names them all, else the values themselves."""
    if known is not None:
        lookup = known if isinstance(known, Mapping) else dict(enumerate(known))
        if all(int(value) in lookup for value in classes):
            return tuple(str(lookup[int(value)]) for value in classes)
    return tuple(str(value) for value in classes)


def flat(images: np.ndarray) -> np.ndarray:
    """(N, H, W) or (N, C, H, W) -> rows of pixels, a view when the array is contiguous."""
    return images.reshape(len(images), -1)


def image_dataset(name: str, train: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray],
                  class_names: Sequence[str], channels: int, image_shape: tuple[int, int],
                  notes: Sequence[str], pixel_max: float | None = PIXEL_MAX, own_split: str | None = None) -> Dataset:
    """A multiclass Dataset from (images, class index) pairs; images are (N, C*H*W) rows.
    ``own_split``: why the split is the data's own (a test set of its own), if it is."""
    (x_train, i_train), (x_test, i_test) = train, test
    eye = np.eye(len(class_names))
    height, width = image_shape
    return Dataset(
        name=name,
        task=MULTICLASS,
        X_train=x_train,
        y_train=eye[i_train],
        X_test=x_test,
        y_test=eye[i_test],
        input_names=tuple(f"c{c}_px{row}_{col}" if channels > 1 else f"px{row}_{col}"
                          for c in range(channels) for row in range(height) for col in range(width)),
        class_names=tuple(class_names),
        domain=(0.0, 1.0),
        image_shape=(height, width),
        notes=tuple(notes),
        channels=channels,
        pixel_max=pixel_max,
        own_split=own_split,
    )


def split_image_dataset(name: str, rows: np.ndarray, indices: np.ndarray, class_names: Sequence[str],
                        channels: int, image_shape: tuple[int, int], notes: Sequence[str],
                        train_ratio: float, seed: int, pixel_max: float | None = PIXEL_MAX) -> Dataset:
    """``image_dataset`` with a stratified held-out split of one set of rows."""
    ratio = check_train_ratio(train_ratio)
    train_idx, test_idx = stratified_split(indices, ratio, np.random.default_rng(seed))
    return image_dataset(name, (rows[train_idx], indices[train_idx]), (rows[test_idx], indices[test_idx]),
                         class_names, channels, image_shape, notes, pixel_max)
