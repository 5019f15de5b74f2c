"""One entry point for image data: an ``.npz`` file, a folder of IDX files or of class
subfolders of pictures, or an IDX images file (``nn_tui.data.idx_sets``)."""

from __future__ import annotations

from pathlib import Path

from nn_tui.data.dataset import Dataset
from nn_tui.data.image_folder import load_image_folder
from nn_tui.data.image_sets import DEFAULT_IMAGE_TRAIN_RATIO
from nn_tui.data.idx_sets import find_images, load_idx
from nn_tui.data.npz_loader import load_npz


def load_images(path, labels=None, test_data=None, test_labels=None, image_size: int | None = None,
                train_ratio: float = DEFAULT_IMAGE_TRAIN_RATIO, seed: int = 0) -> Dataset:
    """The data set at ``path``, by what it is. ``labels``/``test_data``/``test_labels``
    are for IDX files, ``image_size`` for a folder of pictures."""
    path = Path(path)
    if path.suffix.lower() == ".npz":
        return load_npz(path, train_ratio=train_ratio, seed=seed)
    if path.is_dir() and find_images(path) is None:
        return load_image_folder(path, image_size=image_size, train_ratio=train_ratio, seed=seed)
    return load_idx(path, labels=labels, test_data=test_data, test_labels=test_labels,
                    train_ratio=train_ratio, seed=seed)
