"""The (height, width) an image data set will have, read from headers alone, without
loading it: the kinds pick their defaults for 28×28 data from it before anything is
loaded (``nn_tui.config``). None when it cannot tell (not image data, unreadable,
Pillow missing): the loader says what is wrong when it runs."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import numpy as np

from nn_tui.data.dataset import DataError
from nn_tui.data.idx_sets import find_images
from nn_tui.data.image_folder import folder_target_size

CSV_LIKE = (".csv", ".tsv", ".txt")


def _idx_side(path: Path) -> tuple[int, int] | None:
    with open(path, "rb") as raw:
        stream = gzip.GzipFile(fileobj=raw, mode="rb") if raw.read(2) == b"\x1f\x8b" else raw
        raw.seek(0)
        header = stream.read(16)
    if len(header) < 16 or header[:2] != b"\0\0" or header[3] != 3:
        return None
    return int.from_bytes(header[8:12], "big"), int.from_bytes(header[12:16], "big")


def _npz_side(path: Path) -> tuple[int, int] | None:
    with zipfile.ZipFile(path) as archive, archive.open("X.npy") as member:
        version = np.lib.format.read_magic(member)
        read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape = read(member)[0]
    if len(shape) == 3:
        return shape[1], shape[2]
    if len(shape) == 4:  # (N, C, H, W), or (N, H, W, C) with C of 1, 3 or 4
        return (shape[1], shape[2]) if shape[3] in (1, 3, 4) and shape[1] not in (1, 3, 4) else (shape[2], shape[3])
    return None


def _folder_side(path: Path, image_size: int | None) -> tuple[int, int] | None:
    if image_size is not None:
        return image_size, image_size
    return folder_target_size(path)


def image_side(data: str | None, image_size: int | None = None) -> tuple[int, int] | None:
    """(height, width) of the images ``--data`` names, or None."""
    if data is None:
        return None
    path = Path(data)
    if path.suffix.lower() in CSV_LIKE:
        return None
    try:
        if path.suffix.lower() == ".npz":
            return _npz_side(path)
        if path.is_dir():
            found = find_images(path)
            return _idx_side(found) if found is not None else _folder_side(path, image_size)
        return _idx_side(path)
    except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile, DataError):
        return None
