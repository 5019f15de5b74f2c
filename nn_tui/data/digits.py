"""The 8×8 handwritten digits (UCI "Optical Recognition of Handwritten
Digits", as scikit-learn ships it): 1,797 images, 10 classes.

See ``assets/DIGITS-LICENSE.md`` for the source and licence (CC BY 4.0).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from nn_tui.data.dataset import MULTICLASS, DataError, Dataset
from nn_tui.data.split import check_train_ratio, stratified_split

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # the nn_tui folder


def asset_path(name: str) -> Path:
    """A shipped data file: ``nn_tui/assets/NAME`` in an installed wheel, else
    ``assets/NAME`` at the top of the source tree (a checkout or an editable
    install). The installed copy, when there is one, comes first."""
    candidates = (PACKAGE_ROOT / "assets" / name, PACKAGE_ROOT.parent / "assets" / name)
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]  # so an error names where an install keeps it


DIGITS_PATH = asset_path("digits.csv.gz")

IMAGE_SHAPE: tuple[int, int] = (8, 8)
N_PIXELS = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]
N_CLASSES = 10
MAX_PIXEL_VALUE = 16.0  # each pixel counts set cells in a 4×4 block of the 32×32 scan
DEFAULT_DIGITS_TRAIN_RATIO = 0.75

CLASS_NAMES: tuple[str, ...] = tuple(str(digit) for digit in range(N_CLASSES))
# Row-major pixel names, "px<row>_<column>", matching image.reshape(8, 8).
INPUT_NAMES: tuple[str, ...] = tuple(
    f"px{row}_{col}" for row in range(IMAGE_SHAPE[0]) for col in range(IMAGE_SHAPE[1])
)


def _read_digits_table(path: Path) -> np.ndarray:
    """The raw table: one row per image, 64 pixel values then the label."""
    if not path.is_file():
        raise DataError(f"digits data file not found: {path}")
    try:
        with gzip.open(path, "rt", encoding="ascii") as handle:
            table = np.loadtxt(handle, delimiter=",", dtype=np.float64, ndmin=2)
    except (OSError, ValueError, EOFError) as error:
        raise DataError(f"cannot read digits data file {path}: {error}") from None
    if table.shape[1] != N_PIXELS + 1:
        raise DataError(
            f"digits data file {path} has {table.shape[1]} columns, expected {N_PIXELS + 1}"
        )
    return table


def load_digits(
    train_ratio: float = DEFAULT_DIGITS_TRAIN_RATIO, seed: int = 0, path: Path | None = None
) -> Dataset:
    """Load the digits with pixels scaled to [0, 1] and one-hot targets,
    split stratified by class (75 % training by default).

    ``path`` overrides the bundled file (for tests).
    """
    ratio = check_train_ratio(train_ratio)
    table = _read_digits_table(DIGITS_PATH if path is None else Path(path))
    pixels = table[:, :N_PIXELS] / MAX_PIXEL_VALUE
    labels = table[:, N_PIXELS].astype(np.int64)
    if pixels.min() < 0.0 or pixels.max() > 1.0 or labels.min() < 0 or labels.max() >= N_CLASSES:
        raise DataError("digits data file holds pixel values outside 0..16 or labels outside 0..9")
    targets = np.eye(N_CLASSES)[labels]

    rng = np.random.default_rng(seed)
    train_idx, test_idx = stratified_split(labels, ratio, rng)
    return Dataset(
        name="digits",
        task=MULTICLASS,
        X_train=pixels[train_idx],
        y_train=targets[train_idx],
        X_test=pixels[test_idx],
        y_test=targets[test_idx],
        input_names=INPUT_NAMES,
        class_names=CLASS_NAMES,
        is_plane=False,
        domain=(0.0, 1.0),
        image_shape=IMAGE_SHAPE,
        notes=("8×8 handwritten digits (UCI, Alpaydin & Kaynak 1998), CC BY 4.0; pixels scaled to [0, 1].",),
    )
