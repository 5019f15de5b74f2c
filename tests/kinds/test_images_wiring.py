"""Image files through the whole run: `nn-tui train --data` on IDX files, an .npz and a
folder of PNGs for the cnn and the mlp; uint8 kept and scaled per batch; the digits'
numbers unchanged; hostile files as one line and exit status 2."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_tui.cli import main
from nn_tui.config import RunConfig
from nn_tui.engine import Network
from nn_tui.kinds import get_kind
from nn_tui.kinds.supervised import make_optimizer_for
from nn_tui.setup_file import config_from_share, config_to_toml, load_toml, share_string
from nn_tui.training import Trainer

SMALL_CNN = ("--model", "cnn", "--conv", "4", "--layers", "8", "--batch-size", "16")


def idx_bytes(array: np.ndarray) -> bytes:
    return struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def write_idx_set(folder: Path, n=60, side=10, classes=3) -> Path:
    """train-images/labels whose classes differ in brightness (learnable in an epoch or two)."""
    rng = np.random.default_rng(0)
    labels = (np.arange(n) % classes).astype(np.uint8)
    images = np.clip(rng.integers(0, 60, (n, side, side)) + 80 * labels[:, None, None], 0, 255).astype(np.uint8)
    (folder / "train-images-idx3-ubyte").write_bytes(idx_bytes(images))
    (folder / "train-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
    return folder / "train-images-idx3-ubyte"


def train_json(capsys, *args) -> dict:
    assert main(["train", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("model", [SMALL_CNN, ("--model", "mlp", "--layers", "8")])
def test_cnn_and_mlp_train_on_an_idx_file(capsys, tmp_path, model):
    images = write_idx_set(tmp_path)
    report = train_json(capsys, "--data", str(images), *model, "--epochs", "2")
    assert report["epochs"] == 2 and 0.0 <= report["test_accuracy"] <= 1.0
    assert any("kept as bytes" in note for note in report["notes"])


@pytest.mark.parametrize("model", [SMALL_CNN, ("--model", "mlp", "--layers", "8")])
def test_cnn_and_mlp_train_on_colour_images_in_an_npz(capsys, tmp_path, model):
    rng = np.random.default_rng(1)
    X = rng.integers(0, 256, (48, 3, 8, 8), dtype=np.uint8)
    np.savez(tmp_path / "colour.npz", X=X, y=np.arange(48) % 2)
    report = train_json(capsys, "--data", str(tmp_path / "colour.npz"), *model, "--epochs", "1")
    assert report["sizes"][0] == 3 * 8 * 8  # the mlp's inputs; the cnn's first conv output for 3 channels
    assert np.isfinite(report["test_loss"])


def test_a_folder_of_pngs_trains_a_cnn_at_the_given_size(capsys, tmp_path):
    Image = pytest.importorskip("PIL.Image")  # the optional extra nn-tui[images]
    for name, shade in (("cats", 40), ("dogs", 200)):
        (tmp_path / name).mkdir()
        for i in range(6):
            Image.fromarray(np.full((12, 16), shade + i, dtype=np.uint8)).save(tmp_path / name / f"{i}.png")
    report = train_json(capsys, "--data", str(tmp_path), "--image-size", "8", *SMALL_CNN, "--epochs", "1")
    assert report["model"] == "cnn" and np.isfinite(report["train_loss"])


def run_cli(*args) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run([sys.executable, "-m", "nn_tui", "train", *args], capture_output=True, text=True,
                          timeout=300, env=env)


def test_a_truncated_idx_file_is_one_line_and_exit_status_2(tmp_path):
    images = write_idx_set(tmp_path)
    images.write_bytes(images.read_bytes()[:500])  # the header promises 60 images
    result = run_cli("--model", "cnn", "--data", str(images), "--epochs", "1")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr and str(images.name) in lines[0]


def test_labels_that_do_not_match_the_images_are_one_line_and_exit_status_2(tmp_path):
    images = write_idx_set(tmp_path)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(idx_bytes(np.zeros(7, dtype=np.uint8)))
    result = run_cli("--model", "mlp", "--data", str(images), "--epochs", "1")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "7 labels" in result.stderr


def test_test_images_and_their_labels_can_be_named(capsys, tmp_path):
    images = write_idx_set(tmp_path)
    rng = np.random.default_rng(5)
    (tmp_path / "held").mkdir()
    (tmp_path / "held" / "x.idx").write_bytes(idx_bytes(rng.integers(0, 256, (9, 10, 10), dtype=np.uint8)))
    (tmp_path / "held" / "y.idx").write_bytes(idx_bytes((np.arange(9) % 3).astype(np.uint8)))
    report = train_json(capsys, "--data", str(images), "--test-data", str(tmp_path / "held" / "x.idx"),
                        "--test-labels", str(tmp_path / "held" / "y.idx"), *SMALL_CNN, "--epochs", "1")
    assert any("held out: x.idx, 9 images" in note for note in report["notes"])


def test_image_options_without_data_are_refused(capsys):
    assert main(["train", "--model", "cnn", "--labels", "x", "--epochs", "1"]) == 2
    assert "--labels goes with --data" in capsys.readouterr().err


def test_the_image_options_go_into_setup_files_and_share_strings(tmp_path):
    config = RunConfig.of(model="cnn", data="/data/train-images-idx3-ubyte", labels="/data/l-idx1",
                          test_data="/data/t10k-images-idx3-ubyte", test_labels="/data/t-idx1", image_size=32)
    (tmp_path / "setup.toml").write_text(config_to_toml(config))
    for back in (load_toml(tmp_path / "setup.toml"), config_from_share(share_string(config))):
        assert (back.data.labels, back.data.test_data, back.data.test_labels, back.data.image_size) == (
            "/data/l-idx1", "/data/t10k-images-idx3-ubyte", "/data/t-idx1", 32)


def build_run(tmp_path, model: str, **settings):
    images = write_idx_set(tmp_path, n=90)
    config = RunConfig.of(model=model, data=str(images), epochs=1, **settings)
    kind = get_kind(model)
    dataset = kind.load_data(config, config.data_seed)
    return kind.build(config, dataset)


def test_the_autoencoder_trains_on_an_idx_file(capsys, tmp_path):
    images = write_idx_set(tmp_path)
    report = train_json(capsys, "--data", str(images), "--model", "autoencoder", "--layers", "8,2",
                        "--corrupt", "0.2", "--epochs", "2")
    assert report["sizes"][0] == 100 and np.isfinite(report["test_psnr"]) and "code_5nn_accuracy" in report


def test_a_resumed_autoencoder_on_stored_images_goes_on_exactly(tmp_path):
    """Per-batch noise: the run's state is the noise stream's, and the epoch under way."""
    straight = build_run(tmp_path, "autoencoder", corrupt=0.3, batch_size=8)
    straight.train_steps(3)
    state = straight.state()
    resumed = build_run(tmp_path, "autoencoder", corrupt=0.3, batch_size=8)
    resumed.restore(state)
    for run in (straight, resumed):
        run.run_epoch()
        run.run_epoch()
    assert straight.scores() == resumed.scores()


@pytest.mark.parametrize("model", ["cnn", "mlp", "autoencoder"])
def test_the_training_images_stay_uint8_and_no_float_copy_of_them_is_held(tmp_path, model):
    settings = {"cnn": {"conv": (4,), "layers": (8,)}, "autoencoder": {"corrupt": 0.2}}.get(model, {})
    run = build_run(tmp_path, model, **settings)
    n_train, n_pixels = run.dataset.X_train.shape
    assert run.dataset.X_train.dtype == np.uint8 and run.trainer.x_train.dtype == np.uint8
    run.run_epoch()
    run.scores()
    holders = [run, run.trainer] + ([run.inputs] if hasattr(run, "inputs") else [])
    for holder in holders:
        for name, value in vars(holder).items():
            if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.ndim > 1:
                assert value.size < n_train * n_pixels, f"{name}: a float copy of the training images"


def digits_run(dtype: str):
    config = RunConfig.of(model="cnn", dataset="digits", conv=(4,), layers=(8,), dtype=dtype, batch_size=32)
    kind = get_kind("cnn")
    return config, kind.build(config, kind.load_data(config, config.data_seed))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_the_digits_give_the_same_numbers_as_whole_float_arrays_did(dtype):
    """The CNN as it was: the whole set made float images once, indexed per batch."""
    config, run = digits_run(dtype)
    dataset = run.dataset
    old = lambda X: np.ascontiguousarray(X.reshape(len(X), 1, 8, 8), dtype=dtype)  # noqa: E731
    model = Network.cnn(input_shape=(1, 8, 8), conv=[4], kernel=3, hidden=[8], n_out=10, activation="relu",
                        seed=0, init="auto", dtype=np.dtype(dtype))
    reference = Trainer(model, make_optimizer_for(config.train), dataset.task, old(dataset.X_train),
                        dataset.y_train, old(dataset.X_test), dataset.y_test, 32, seed=0)
    for _ in range(2):
        run.run_epoch()
        reference.run_epoch()
    assert run.scores() == reference.scores()
    for new_layer, old_layer in zip(run.model.layers, model.layers):
        for name, value in getattr(new_layer, "params", {}).items():
            assert np.array_equal(value, old_layer.params[name])


def test_a_big_set_scored_in_chunks_gives_the_whole_sets_numbers():
    from nn_tui.training import ONE_PASS_ROWS, chunks, outputs_and_loss

    rng = np.random.default_rng(2)
    n = ONE_PASS_ROWS + 700  # more than one pass: chunks, the last one short
    X = rng.integers(0, 256, (n, 12), dtype=np.uint8)
    Y = np.eye(3)[rng.integers(0, 3, n)]
    model = Network.mlp(12, [5], 3, activation="tanh", output="softmax", loss="ce", seed=0)
    prepare = lambda X, rows: np.divide(X[rows], 255.0)  # noqa: E731
    assert len(chunks(n)) > 1
    outputs, loss = outputs_and_loss(model, X, Y, prepare)
    whole = prepare(X, slice(None))
    assert np.allclose(outputs, model.forward(whole), rtol=0, atol=1e-12)
    assert loss == pytest.approx(float(model.loss(whole, Y)), rel=1e-12)


def test_the_mistakes_strip_names_the_classes_where_the_data_does():
    from nn_tui.kinds.cnn.panes import mistake_captions
    from nn_tui.kinds.cnn.probes import MistakesView

    fashion = MistakesView(images=np.zeros((2, 28, 28), np.float32), true=np.array([0, 6]),
                           predicted=np.array([9, 2]), indices=np.array([3, 8]), count=2, n_samples=10,
                           class_names=("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                                        "Sneaker", "Bag", "Ankle boot"))
    # 28×28 pictures are drawn shrunk to a quarter in the strip (7 cells): 3 letters a name.
    assert mistake_captions(fashion) == ("T-s→Ank", "Shi→Pul")
    digits = MistakesView(images=np.zeros((1, 8, 8), np.float32), true=np.array([3]), predicted=np.array([8]),
                          indices=np.array([0]), count=1, n_samples=450)
    assert mistake_captions(digits) == ("3→8",)


def test_the_cnn_probes_carry_the_class_names_of_an_idx_set(tmp_path):
    from nn_tui.kinds.cnn.probes import probes

    run = build_run(tmp_path, "cnn", conv=(4,), layers=(8,))
    view, confusion, mistakes = probes(run)
    assert view.image.shape == (10, 10) and confusion.class_names == mistakes.class_names == ("0", "1", "2")


def test_the_loading_line_of_a_folder_does_not_give_its_size(tmp_path, capsys):
    from nn_tui.command_line import _say_loading

    _say_loading(RunConfig.of(model="cnn", data=str(tmp_path)))
    assert capsys.readouterr().err.strip() == f"nn-tui: reading the images in {tmp_path}..."


def test_what_data_is_images_is_told_by_its_path(tmp_path):
    from nn_tui.datasets import is_image_data
    from nn_tui.settings import DataConfig

    assert is_image_data(DataConfig(data="train-images-idx3-ubyte.gz"))
    assert is_image_data(DataConfig(data="faces.npz")) and is_image_data(DataConfig(data=str(tmp_path)))
    assert not is_image_data(DataConfig(data="sales_idx.csv")) and not is_image_data(DataConfig(data="a.csv"))
    assert not is_image_data(DataConfig())
