"""Load a folder of images, one subfolder per class (``photos/cat/*.jpg``, ``photos/dog/*.png``).

Class names are the subfolders' names, sorted; images are PNG and JPEG files
anywhere below a class folder (nested folders are walked, a symbolic link loop is
refused). Grey images give one channel; if any image has colour, all are read as
RGB (three channels), unless every pixel turns out grey. Size: ``image_size``
(square) if given; else kept when every image has the same size (up to
``MAX_KEPT_SIDE``), else 28. A non-square image is cropped to its central square
before resizing, so nothing is stretched.

An image that does not decode is skipped, and named in a note (one bad photo
should not cost the other thousand); a class left with fewer than two images is
refused. Images are kept uint8, like the IDX sets.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np

from nn_tui.data.dataset import DataError, Dataset
from nn_tui.data.image_sets import (
    DEFAULT_IMAGE_TRAIN_RATIO,
    MAX_PIXELS,
    MAX_SIDE,
    check_class_counts,
    check_image_size,
    split_image_dataset,
)
from nn_tui.data.split import check_train_ratio

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
DEFAULT_IMAGE_SIZE = 28
MAX_KEPT_SIDE = 256  # larger photos are resized to DEFAULT_IMAGE_SIZE unless a size is asked for
MAX_FILES = 200_000  # files looked at below the folder: a folder of the whole disk ends here
MAX_SOURCE_PIXELS = 50_000_000  # a header promising more (a decompression bomb) is not decoded
MAX_SKIPPED_NAMED = 3
GREY_MODES = ("1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F")
PILLOW_MISSING = "reading a folder of images needs Pillow: pip install 'nn-tui[images]'"


def _pillow():
    # Pillow is an optional extra: nn_tui.data otherwise imports only numpy and the
    # standard library, and only this loader decodes PNG and JPEG.
    try:
        from PIL import Image
    except ImportError:
        raise DataError(PILLOW_MISSING) from None
    return Image


def _walk(folder: Path, seen: set[tuple[int, int]], found: list[Path], budget: list[int]) -> None:
    """Image files below ``folder``, depth first in name order; refuses a symbolic link loop."""
    try:
        info = folder.stat()
    except OSError as error:
        raise DataError(f"{folder}: cannot read ({'a symbolic link loop' if error.errno == errno.ELOOP else error.strerror})") from None
    key = (info.st_dev, info.st_ino)
    if key in seen:
        raise DataError(f"{folder}: a symbolic link loop (it leads back to a folder already read)")
    seen.add(key)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        raise DataError(f"{folder}: cannot list ({error.strerror})") from None
    for entry in entries:
        budget[0] -= 1
        if budget[0] < 0:
            raise DataError(f"{folder}: more than {MAX_FILES:,} files; point nn-tui at a smaller folder")
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows links; a link to itself raises ELOOP
        except OSError:
            raise DataError(f"{path}: a symbolic link loop") from None
        if is_dir:
            _walk(path, seen, found, budget)
        elif entry.name.lower().endswith(IMAGE_SUFFIXES):
            found.append(path)
    seen.discard(key)  # the same folder linked from two places is not a loop, only a cycle is


def _class_folders(root: Path) -> list[Path]:
    try:
        if not root.is_dir():
            raise DataError(f"{root}: not a folder")
        return sorted((entry for entry in root.iterdir() if not entry.name.startswith(".") and entry.is_dir()),
                      key=lambda entry: entry.name)
    except OSError as error:
        raise DataError(f"{root}: cannot read ({error.strerror or error})") from None


def _target_size(sizes: list[tuple[int, int]], image_size: int | None, notes: list[str]) -> tuple[int, int]:
    """(height, width) every image is made."""
    if image_size is not None:
        if not 1 <= image_size <= MAX_SIDE:
            raise DataError(f"image size must be 1 to {MAX_SIDE} pixels, got {image_size}")
        return image_size, image_size
    distinct = set(sizes)
    if len(distinct) == 1:
        width, height = next(iter(distinct))
        if max(width, height) <= MAX_KEPT_SIDE:
            return height, width
        notes.append(f"images of {width}x{height} resized to {DEFAULT_IMAGE_SIZE}x{DEFAULT_IMAGE_SIZE} "
                     f"(choose with --image-size).")
    else:
        notes.append(f"images of {len(distinct)} different sizes: cropped square and resized to "
                     f"{DEFAULT_IMAGE_SIZE}x{DEFAULT_IMAGE_SIZE} (choose with --image-size).")
    return DEFAULT_IMAGE_SIZE, DEFAULT_IMAGE_SIZE


def _decode(Image, image, height: int, width: int, colour: bool) -> np.ndarray:
    """One opened image as uint8 (height, width[, 3])."""
    image = image.convert("RGB" if colour else "L")
    if image.size != (width, height):
        if height == width and image.size[0] != image.size[1]:
            side = min(image.size)
            left, top = (image.size[0] - side) // 2, (image.size[1] - side) // 2
            image = image.crop((left, top, left + side, top + side))
        image = image.resize((width, height), Image.Resampling.BILINEAR)
    return np.asarray(image, dtype=np.uint8)


def _listing(root: Path, Image) -> tuple[list[Path], list[tuple[Path, int, tuple[int, int], bool]], list[str]]:
    """Pass 1, headers only (Pillow's open reads no pixels): the class folders, and each
    image's (file, class, size, grey); files that do not open as images are skipped."""
    folders = _class_folders(root)
    if len(folders) < 2:
        named = f" ({folders[0].name!r})" if folders else ""
        raise DataError(f"{root}: {len(folders)} class folder(s){named}; a classifier needs a subfolder per class, "
                        f"at least two")
    skipped: list[str] = []
    budget = [MAX_FILES]
    listed: list[tuple[Path, int, tuple[int, int], bool]] = []
    for index, folder in enumerate(folders):
        files: list[Path] = []
        _walk(folder, {(root.stat().st_dev, root.stat().st_ino)}, files, budget)
        for file in files:
            try:
                with Image.open(file) as image:
                    size, grey = image.size, image.mode in GREY_MODES
            except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
                skipped.append(str(file.relative_to(root)))
                continue
            if size[0] * size[1] > MAX_SOURCE_PIXELS:
                skipped.append(str(file.relative_to(root)))
                continue
            listed.append((file, index, size, grey))
    return folders, listed, skipped


def folder_target_size(path) -> tuple[int, int]:
    """(height, width) the folder's pictures become without --image-size (headers only)."""
    _folders, listed, _skipped = _listing(Path(path), _pillow())
    return _target_size([size for _file, _index, size, _grey in listed], None, [])


def load_image_folder(path, image_size: int | None = None, train_ratio: float = DEFAULT_IMAGE_TRAIN_RATIO,
                      seed: int = 0, max_pixels: int = MAX_PIXELS) -> Dataset:
    root = Path(path)
    ratio = check_train_ratio(train_ratio)
    Image = _pillow()
    notes: list[str] = []
    folders, listed, skipped = _listing(root, Image)
    names = tuple(folder.name for folder in folders)
    height, width = _target_size([size for _file, _index, size, _grey in listed], image_size, notes)
    colour = not all(grey for *_rest, grey in listed)
    check_image_size(len(listed), 3 if colour else 1, height, width, str(root), max_pixels)
    # Pass 2: decode and resize into one uint8 array.
    shape = (len(listed), height, width, 3) if colour else (len(listed), height, width)
    pixels = np.empty(shape, dtype=np.uint8)
    kept = np.zeros(len(listed), dtype=bool)
    labels = np.empty(len(listed), dtype=np.int64)
    for row, (file, index, _size, _grey) in enumerate(listed):
        try:
            with Image.open(file) as image:
                pixels[row] = _decode(Image, image, height, width, colour)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            skipped.append(str(file.relative_to(root)))
            continue
        kept[row], labels[row] = True, index
    pixels, labels = pixels[kept], labels[kept]
    if skipped:
        shown = ", ".join(skipped[:MAX_SKIPPED_NAMED]) + (f" and {len(skipped) - MAX_SKIPPED_NAMED} more"
                                                          if len(skipped) > MAX_SKIPPED_NAMED else "")
        notes.append(f"skipped {len(skipped)} file(s) that do not decode as images: {shown}.")
    check_class_counts(labels, names, str(root))
    if colour:
        if np.all(pixels[..., 0] == pixels[..., 1]) and np.all(pixels[..., 1] == pixels[..., 2]):
            pixels, colour = np.ascontiguousarray(pixels[..., 0]), False  # colour files of grey pictures
            notes.append("every image is grey: one channel.")
        else:
            pixels = np.ascontiguousarray(pixels.transpose(0, 3, 1, 2))  # channels first
    channels = 3 if colour else 1
    notes.insert(0, f"{root.name}: {len(pixels):,} images of {channels}x{height}x{width} in {len(names)} classes, "
                    f"kept as bytes (0-255) and scaled to [0, 1] a batch at a time.")
    return split_image_dataset(root.name, pixels.reshape(len(pixels), -1), labels, names, channels,
                               (height, width), notes, ratio, seed)
