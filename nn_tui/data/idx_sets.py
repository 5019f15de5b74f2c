"""Load an IDX data set (MNIST, Fashion-MNIST, EMNIST, KMNIST) as a ``Dataset`` of uint8 images.

Given ``train-images-idx3-ubyte[.gz]`` the labels file beside it is found by
name (``images`` -> ``labels``, ``idx3`` -> ``idx1``, the same compression first),
and so is the test pair (``train`` -> ``t10k`` or ``test``). Either can be given
explicitly. Without a test pair the training file is split (stratified).

Which data set a file belongs to cannot be read from it: the four share names and
format. The path tells: a folder or file name containing ``fashion`` gives
Fashion-MNIST's class names, ``kmnist`` Kuzushiji's, ``emnist`` (with its split's
name) EMNIST's; anything else is named by its label values (the digits, for MNIST).
EMNIST's images are stored transposed, and are turned upright.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nn_tui.data.dataset import DataError, Dataset
from nn_tui.data.idx import read_idx
from nn_tui.data.image_sets import (
    DEFAULT_IMAGE_TRAIN_RATIO,
    MAX_PIXELS,
    check_class_counts,
    check_image_size,
    class_indices,
    class_names_for,
    flat,
    image_dataset,
    split_image_dataset,
)

FASHION_NAMES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                 "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
# Kuzushiji-MNIST's ten hiragana, romanised as its classmap does.
KMNIST_NAMES = ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo")
DIGIT_NAMES = tuple(str(digit) for digit in range(10))
UPPER = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# EMNIST's splits (Cohen et al. 2017): letters are labelled 1..26; "balanced" and
# "bymerge" fold the lower-case letters that look like their capitals into them.
EMNIST_NAMES: dict[str, dict[int, str] | Sequence[str]] = {
    "letters": {index + 1: letter for index, letter in enumerate("abcdefghijklmnopqrstuvwxyz")},
    "digits": DIGIT_NAMES,
    "mnist": DIGIT_NAMES,
    "byclass": DIGIT_NAMES + UPPER + tuple("abcdefghijklmnopqrstuvwxyz"),
    "bymerge": DIGIT_NAMES + UPPER + tuple("abdefghnqrt"),
    "balanced": DIGIT_NAMES + UPPER + tuple("abdefghnqrt"),
}


def family(path: Path) -> tuple[str, str | None]:
    """(family, EMNIST split) from the file's and its folder's names: "fashion", "kmnist",
    "emnist" or "mnist". Only those two: a home folder called "fashion" says nothing."""
    names = [part.lower() for part in Path(path).absolute().parts[-2:]]
    joined = "/".join(names)
    if "fashion" in joined:
        return "fashion", None
    if "kmnist" in joined or "kuzushiji" in joined:
        return "kmnist", None
    if "emnist" in joined:
        split = next((name for name in EMNIST_NAMES if re.search(rf"\b{name}\b", names[-1].replace("-", " "))), None)
        return "emnist", split
    return "mnist", None


def known_names(path: Path):
    kind, split = family(path)
    if kind == "fashion":
        return FASHION_NAMES
    if kind == "kmnist":
        return KMNIST_NAMES
    if kind == "emnist":
        return EMNIST_NAMES.get(split or "")
    return DIGIT_NAMES


def _variants(name: str, swaps: Sequence[tuple[str, str]]) -> list[str]:
    """``name`` with every swap applied (each is a plain substring replacement)."""
    result = name
    for old, new in swaps:
        result = result.replace(old, new)
    return [result] if result != name else []


def _beside(path: Path, candidates: list[str]) -> Path | None:
    """The first candidate name that is a file in ``path``'s folder; the gzipped or
    plain twin of a name counts too."""
    for name in candidates:
        for option in (name, name[:-3] if name.endswith(".gz") else name + ".gz"):
            found = path.with_name(option)
            if found.is_file():
                return found
    return None


def labels_beside(images: Path) -> Path | None:
    name = images.name
    return _beside(images, _variants(name, [("images", "labels"), ("idx3", "idx1")])
                   + _variants(name, [("imgs", "labels"), ("idx3", "idx1")]))


def test_beside(images: Path) -> Path | None:
    name = images.name
    if not re.search(r"train", name):
        return None
    return _beside(images, [name.replace("train", "t10k"), name.replace("train", "test")])


def find_images(folder: Path) -> Path | None:
    """The training images file in a folder of IDX files, if it holds one."""
    found = sorted(item for item in folder.glob("*") if "idx3" in item.name and "train" in item.name)
    return found[0] if found else None


def data_set_name(images: Path) -> str:
    """What comes before "train" in the file's name ("emnist-letters"), else its folder's name."""
    prefix = images.name.lower().split("train")[0].strip("-_. ")
    return prefix or images.absolute().parent.name or images.name


def _read_pair(images_path: Path, labels_path: Path, max_pixels: int) -> tuple[np.ndarray, np.ndarray]:
    images = read_idx(images_path, 3, max_pixels)
    labels = read_idx(labels_path, 1, max_pixels)
    check_image_size(len(images), 1, images.shape[1], images.shape[2], str(images_path), max_pixels)
    if len(labels) != len(images):
        raise DataError(f"{labels_path}: {len(labels):,} labels for the {len(images):,} images of {images_path.name}")
    return images, labels


def load_idx(path, labels=None, test_data=None, test_labels=None, class_names: Sequence[str] | None = None,
             train_ratio: float = DEFAULT_IMAGE_TRAIN_RATIO, seed: int = 0,
             max_pixels: int = MAX_PIXELS) -> Dataset:
    """An IDX data set: images kept uint8 (N, H*W) with ``pixel_max`` 255, one-hot targets.

    ``path`` is the training images file, or a folder holding one. With a test pair
    (given, or found beside it) that pair is the held-out set; otherwise ``train_ratio``
    of the images train, split stratified with ``seed``."""
    images_path = Path(path)
    if images_path.is_dir():
        found = find_images(images_path)
        if found is None:
            raise DataError(f"{images_path}: no IDX training images file (*train*idx3*) in this folder")
        images_path = found
    labels_path = Path(labels) if labels is not None else labels_beside(images_path)
    if labels_path is None:
        raise DataError(f"{images_path}: no labels file beside it (its name with 'images' -> 'labels', "
                        f"'idx3' -> 'idx1'); name one with --labels")
    test_path = Path(test_data) if test_data is not None else test_beside(images_path)
    test_labels_path = Path(test_labels) if test_labels is not None else (
        labels_beside(test_path) if test_path is not None else None)
    if test_data is not None and test_labels_path is None:
        raise DataError(f"{test_path}: no labels file beside it; name one with --test-labels")

    if test_path is not None and test_labels_path is None:
        test_path = None  # found images but no labels for them: split the training file instead
    kind, _split = family(images_path)
    train_images, train_labels = _read_pair(images_path, labels_path, max_pixels)
    test = None
    if test_path is not None and test_labels_path is not None:
        test = _read_pair(test_path, test_labels_path, max_pixels - train_images.size)
        if test[0].shape[1:] != train_images.shape[1:]:
            raise DataError(f"{test_path}: test images of {test[0].shape[1]}x{test[0].shape[2]} pixels, "
                            f"training images of {train_images.shape[1]}x{train_images.shape[2]}")

    notes = [f"{images_path.name}: {len(train_images):,} images of {train_images.shape[1]}x{train_images.shape[2]} "
             f"pixels, kept as bytes (0-255) and scaled to [0, 1] a batch at a time."]
    if kind == "emnist":
        # EMNIST stores each image transposed; turned upright here (one copy of the set).
        train_images = np.ascontiguousarray(train_images.transpose(0, 2, 1))
        if test is not None:
            test = (np.ascontiguousarray(test[0].transpose(0, 2, 1)), test[1])
        notes.append("EMNIST images are stored transposed: turned upright.")
    all_labels = train_labels if test is None else np.concatenate([train_labels, test[1]])
    classes = np.unique(all_labels)
    names = tuple(class_names) if class_names is not None else class_names_for(classes, known_names(images_path))
    if len(names) != len(classes):
        raise DataError(f"{images_path}: {len(names)} class names for {len(classes)} classes")
    train_indices = class_indices(train_labels, classes)
    check_class_counts(train_indices, names, str(labels_path))
    name = data_set_name(images_path)
    image_shape = (train_images.shape[1], train_images.shape[2])
    if test is None:
        notes.append(f"no test pair beside {images_path.name}: {train_ratio:.0%} of it trains, the rest tests.")
        return split_image_dataset(name, flat(train_images), train_indices, names, 1, image_shape, notes,
                                   train_ratio, seed)
    notes.append(f"held out: {test_path.name}, {len(test[0]):,} images.")
    return image_dataset(name, (flat(train_images), train_indices), (flat(test[0]), class_indices(test[1], classes)),
                         names, 1, image_shape, notes, own_split="the files' own split")
