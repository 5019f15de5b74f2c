"""The cnn and mlp pick their 28×28 settings (bench/fashion_mnist.py's) when --data is 28×28
images and the user gave none; any setting given wins; other sizes keep the usual defaults."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from nn_tui.cli import _train_parser
from nn_tui.config import RunConfig, config_from_args
from nn_tui.data.image_side import image_side
from nn_tui.kinds import get_kind


def idx_bytes(array: np.ndarray) -> bytes:
    return struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def write_idx_set(folder: Path, side: int, n: int = 40) -> Path:
    labels = (np.arange(n) % 2).astype(np.uint8)
    images = np.random.default_rng(0).integers(0, 256, (n, side, side), dtype=np.uint8)
    (folder / "train-images-idx3-ubyte").write_bytes(idx_bytes(images))
    (folder / "train-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
    return folder / "train-images-idx3-ubyte"


def parsed(*argv) -> RunConfig:
    return config_from_args(_train_parser().parse_args(list(argv)))


def test_the_mlp_on_28x28_images_starts_from_the_measured_settings(tmp_path):
    config = parsed("--model", "mlp", "--data", str(write_idx_set(tmp_path, 28)))
    assert config.model.layers == (128,) and config.model.activation == "relu"
    train = config.train
    assert (train.optimizer, train.lr, train.batch_size, train.epochs) == ("adam", 0.001, 32, 20)


def test_the_cnn_on_28x28_images_trains_in_float32(tmp_path):
    config = parsed("--model", "cnn", "--data", str(write_idx_set(tmp_path, 28)))
    assert config.train.dtype == "float32" and config.train.epochs == get_kind("cnn").defaults_28x28["epochs"]
    assert config.model.conv == (16, 32) and config.train.optimizer == "adam"


def test_a_setting_the_user_gives_wins_over_the_28x28_defaults(tmp_path):
    data = str(write_idx_set(tmp_path, 28))
    config = parsed("--model", "mlp", "--data", data, "--layers", "4,2", "--lr", "0.1", "--epochs", "3")
    assert config.model.layers == (4, 2) and config.train.lr == 0.1 and config.train.epochs == 3
    assert config.train.optimizer == "adam"  # not given: still the 28×28 default
    assert parsed("--model", "cnn", "--data", data, "--dtype", "float64").train.dtype == "float64"
    assert RunConfig.of(model="mlp", data=data, layers=(8,)).model.layers == (8,)


def test_other_sizes_and_no_images_keep_the_usual_defaults(tmp_path):
    config = parsed("--model", "mlp", "--data", str(write_idx_set(tmp_path, 10)))
    assert config.model.layers == (4, 2) and config.train.optimizer == "sgd"
    assert parsed("--model", "cnn").train.dtype == "float64"
    assert RunConfig.of(model="mlp").model.layers == (4, 2)


def test_the_side_is_read_from_headers_of_idx_npz_and_picture_folders(tmp_path):
    idx = write_idx_set(tmp_path, 28)
    assert image_side(str(idx)) == (28, 28) and image_side(str(tmp_path)) == (28, 28)
    np.savez(tmp_path / "a.npz", X=np.zeros((4, 28, 28, 3), np.uint8), y=np.arange(4) % 2)
    np.savez(tmp_path / "b.npz", X=np.zeros((4, 1, 28, 28), np.uint8), y=np.arange(4) % 2)
    np.savez(tmp_path / "table.npz", X=np.zeros((4, 784)), y=np.arange(4) % 2)
    assert image_side(str(tmp_path / "a.npz")) == image_side(str(tmp_path / "b.npz")) == (28, 28)
    assert image_side(str(tmp_path / "table.npz")) is None
    assert image_side(str(tmp_path / "missing.idx")) is None and image_side(None) is None
    (tmp_path / "lying").write_bytes(b"\0\0\x08\x03")  # a truncated header: no side, no error
    assert image_side(str(tmp_path / "lying")) is None
    assert RunConfig.of(model="mlp", data=str(tmp_path / "a.npz")).model.layers == (128,)


def test_a_folder_of_pictures_is_28x28_by_its_size_option_or_its_pictures(tmp_path):
    Image = pytest.importorskip("PIL.Image", reason="Pillow (the images extra) reads picture folders")
    for name in ("cat", "dog"):
        (tmp_path / name).mkdir()
        for i in range(2):
            Image.new("L", (40, 40), color=i * 90).save(tmp_path / name / f"{i}.png")
    assert image_side(str(tmp_path)) == (40, 40)
    assert image_side(str(tmp_path), image_size=28) == (28, 28)
    assert parsed("--model", "mlp", "--data", str(tmp_path)).model.layers == (4, 2)
    assert parsed("--model", "mlp", "--data", str(tmp_path), "--image-size", "28").model.layers == (128,)


def _hostile(tmp_path: Path, case: str) -> Path:
    if case == "symlink loop":
        (tmp_path / "loop").symlink_to(tmp_path / "loop")
        return tmp_path / "loop"
    if case == "a billion pixels promised":
        path = tmp_path / "train-images-idx3-ubyte"
        path.write_bytes(struct.pack(">HBB3I", 0, 8, 3, 1_000_000, 1000, 1000))
        (tmp_path / "train-labels-idx1-ubyte").write_bytes(struct.pack(">HBBI", 0, 8, 1, 2) + b"\0\1")
        return path
    if case == "wrong magic number":
        path = tmp_path / "train-images-idx3-ubyte"
        path.write_bytes(b"\x12\x34" + bytes(30))
        return path
    if case == "one class folder":
        (tmp_path / "only").mkdir()
        return tmp_path
    raise AssertionError(case)


@pytest.mark.parametrize("case", ["symlink loop", "a billion pixels promised", "wrong magic number",
                                  "one class folder"])
@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_hostile_data_is_still_one_line_and_exit_2_now_that_its_side_is_read_first(tmp_path, capsys, case,
                                                                                      model):
    from nn_tui.cli import main

    path = _hostile(tmp_path, case)
    assert image_side(str(path)) in (None, (1000, 1000))  # read from the header alone; never raises
    assert main(["train", "--model", model, "--data", str(path), "--epochs", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err and "\n" not in err and "Traceback" not in err
