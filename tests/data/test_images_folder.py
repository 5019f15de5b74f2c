"""A folder of pictures, one subfolder per class, written here with Pillow (skipped without it)."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import numpy as np
import pytest

PIL_Image = pytest.importorskip("PIL.Image", reason="Pillow (the 'images' extra) is not installed")

from nn_tui.data import DataError, load_image_folder, load_images  # noqa: E402
from nn_tui.data import image_folder  # noqa: E402


def picture(path: Path, size=(12, 10), colour=False, value=None, seed=0, mode=None):
    """A random (or flat ``value``) picture of ``size`` = (width, height)."""
    rng = np.random.default_rng(seed)
    shape = (size[1], size[0], 3) if colour else (size[1], size[0])
    pixels = np.full(shape, value, np.uint8) if value is not None else rng.integers(0, 256, shape).astype(np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    PIL_Image.fromarray(pixels).save(path)
    return pixels


def folder(tmp_path: Path, classes=("cat", "dog"), per_class=4, **kwargs) -> Path:
    root = tmp_path / "photos"
    for label, name in enumerate(classes):
        for i in range(per_class):
            suffix = ".png" if i % 2 else ".jpg"
            picture(root / name / f"{i}{suffix}", value=40 + 100 * label if suffix == ".jpg" else None,
                    seed=label * 100 + i, **kwargs)
    return root


def error_of(path, **kwargs) -> str:
    with pytest.raises(DataError) as info:
        load_image_folder(path, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_grey_pictures_keep_their_size_and_subfolders_name_the_classes(tmp_path):
    data = load_images(folder(tmp_path), train_ratio=0.5)
    assert data.class_names == ("cat", "dog") and data.input_shape == (1, 10, 12)
    assert data.X_train.dtype == np.uint8 and data.pixel_max == 255
    assert len(data.X_train) == 4 and len(data.X_test) == 4
    assert np.bincount(data.labels(data.y_train)).tolist() == [2, 2]


def test_png_pixels_arrive_exactly(tmp_path):
    root = tmp_path / "p"
    a = picture(root / "a" / "1.png", seed=1)
    picture(root / "a" / "2.png", seed=2)
    picture(root / "b" / "1.png", seed=3)
    picture(root / "b" / "2.png", seed=4)
    data = load_image_folder(root, train_ratio=0.5)
    rows = [r.tobytes() for r in np.concatenate([data.X_train, data.X_test])]
    assert a.reshape(-1).tobytes() in rows


def test_colour_gives_three_channels_channels_first(tmp_path):
    root = tmp_path / "p"
    pixels = picture(root / "red" / "1.png", colour=True, seed=1)
    for i, name in enumerate(("red/2.png", "blue/1.png", "blue/2.png")):
        picture(root / name, colour=True, seed=10 + i)
    data = load_image_folder(root, train_ratio=0.5)
    assert data.input_shape == (3, 10, 12) and data.channels == 3
    every = np.concatenate([data.X_train, data.X_test])
    assert pixels.transpose(2, 0, 1).reshape(-1).tobytes() in [r.tobytes() for r in every]
    assert data.images(data.X_train).shape == (2, 3, 10, 12)


def test_colour_files_of_grey_pictures_give_one_channel(tmp_path):
    root = tmp_path / "p"
    for i, name in enumerate(("a/1.png", "a/2.png", "b/1.png", "b/2.png")):
        grey = picture(tmp_path / "tmp.png", seed=i)
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        PIL_Image.fromarray(np.stack([grey] * 3, axis=2)).save(root / name)  # an RGB file
    data = load_image_folder(root, train_ratio=0.5)
    assert data.channels == 1 and any("grey" in note for note in data.notes)


def test_mixed_sizes_are_cropped_square_and_resized_to_28_unless_a_size_is_given(tmp_path):
    root = tmp_path / "p"
    for i, (name, size) in enumerate((("a/1.png", (40, 20)), ("a/2.png", (30, 30)),
                                      ("b/1.png", (10, 50)), ("b/2.png", (28, 28)))):
        picture(root / name, size=size, seed=i)
    data = load_image_folder(root, train_ratio=0.5)
    assert data.input_shape == (1, 28, 28) and any("different sizes" in note for note in data.notes)
    assert load_image_folder(root, image_size=16, train_ratio=0.5).input_shape == (1, 16, 16)
    assert "image size must be" in error_of(root, image_size=0)


def test_an_image_that_does_not_decode_is_skipped_and_named(tmp_path):
    root = folder(tmp_path)
    (root / "dog" / "broken.jpg").write_bytes(b"\xff\xd8\xff this is not really a jpeg")
    whole = (root / "cat" / "1.png").read_bytes()
    (root / "cat" / "cut.png").write_bytes(whole[: len(whole) // 2])  # header fine, pixels cut off
    (root / "cat" / "notes.txt").write_text("not a picture, not looked at")
    data = load_image_folder(root, train_ratio=0.5)
    assert len(data.X_train) + len(data.X_test) == 8
    note = next(note for note in data.notes if note.startswith("skipped"))
    assert "dog/broken.jpg" in note and "cat/cut.png" in note and "skipped 2" in note


def test_a_folder_with_one_class_is_refused(tmp_path):
    root = folder(tmp_path, classes=("cat",))
    assert "1 class folder(s) ('cat')" in error_of(root)


def test_a_class_left_with_one_image_is_refused(tmp_path):
    root = folder(tmp_path, per_class=2)
    (root / "dog" / "0.jpg").write_bytes(b"garbage")
    assert "class 'dog' has 1 image(s)" in error_of(root)


def test_nested_folders_are_read_and_a_symlink_loop_is_refused(tmp_path):
    root = folder(tmp_path)
    picture(root / "cat" / "2019" / "deep.png", seed=99)
    data = load_image_folder(root, train_ratio=0.5)
    assert len(data.X_train) + len(data.X_test) == 9
    os.symlink(root / "cat", root / "cat" / "2019" / "again")
    assert "symbolic link loop (it leads back" in error_of(root)
    os.remove(root / "cat" / "2019" / "again")
    os.symlink(root / "dog" / "self", root / "dog" / "self")  # a link to itself
    assert "symbolic link loop" in error_of(root)


def test_a_huge_set_is_refused_before_decoding(tmp_path):
    root = folder(tmp_path)
    assert "nn-tui holds up to 100" in error_of(root, max_pixels=100)


def test_without_pillow_one_line_names_the_extra(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_pillow(name, *args, **kwargs):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError("No module named 'PIL'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pillow)
    assert error_of(folder(tmp_path)) == image_folder.PILLOW_MISSING
    assert "pip install 'nn-tui[images]'" in image_folder.PILLOW_MISSING


def test_the_data_package_does_not_import_pillow():
    import subprocess
    import sys

    code = "import sys, nn_tui.data; print('PIL' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout.strip() == "False"
