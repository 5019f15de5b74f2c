"""Model files of the character models (rnn, lstm, gru) and the GAN: `nn-tui train --save`
and the app's save key write them (.npz, no pickle, JSON meta), `--load` continues from
them with the very weights, a character model's file carries its vocabulary (a loaded
model completes prompts), a GAN's both networks; a damaged or mismatched file is one line
and exit status 2; `nn-tui export` refuses them in one line."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_tui.cli import main
from nn_tui.config import RunConfig
from nn_tui.engine import ModelFileError, load_model
from nn_tui.engine.model_file import read_model_file
from nn_tui.export.cli import main as export_main
from nn_tui.kinds.gan.model import Gan
from nn_tui.kinds.sequence.model import CharModel
from nn_tui.session import Session

ROOT = Path(__file__).resolve().parents[2]
SMALL = ("--layers", "12", "--window", "24", "--batch-size", "4", "--embed", "8")
PROMPT = "I live in Spain. I speak fluent "


def _train(capsys, *args) -> dict:
    assert main(["train", "--json", *args]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def _error(capsys, *args) -> str:
    assert main(["train", "--json", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """An lstm and a gan trained a little and saved by `nn-tui train --save` (with their reports)."""
    where = tmp_path_factory.mktemp("models")
    made = {}
    for name, args in (("lstm", ("--model", "lstm", *SMALL, "--epochs", "2")),
                       ("gru64", ("--model", "gru", *SMALL, "--epochs", "1", "--dtype", "float64")),
                       ("gan", ("--model", "gan", "--dataset", "ring", "--epochs", "40"))):
        path = where / f"{name}.npz"
        done = subprocess.run([sys.executable, "-m", "nn_tui", "train", *args, "--save", str(path), "--json"],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        made[name] = (path, json.loads(done.stdout))
    return made


def test_a_character_model_file_holds_plain_arrays_and_its_vocabulary(files):
    path, _ = files["lstm"]
    with np.load(path, allow_pickle=False) as npz:
        assert all(npz[name].dtype != object for name in npz.files)
        assert {"embedding.E", "cell.W", "cell.U", "cell.b", "head.W", "head.b"} < set(npz.files)
    description, _, metadata = read_model_file(path)
    assert description["kind"] == "char-model" and description["cell"] == "lstm" and description["dtype"] == "float32"
    assert metadata["kind"] == "lstm" and metadata["epoch"] == 2
    model = load_model(path)
    assert isinstance(model, CharModel) and model.hidden == 12 and model.embed_dim == 8
    assert PROMPT[0] in model.vocab and "".join(description["chars"]) == "".join(model.vocab.chars)


@pytest.mark.parametrize("name", ["lstm", "gru64"])
def test_load_continues_with_the_very_weights_and_completes_prompts_alike(name, files, capsys):
    path, report = files[name]
    cell = "lstm" if name == "lstm" else "gru"
    again = _train(capsys, "--model", cell, "--load", str(path), *SMALL, "--epochs", "0",
                   *(("--dtype", "float64") if name == "gru64" else ()))
    assert again["test_loss"] == report["test_loss"]  # the same weights, measured again
    loaded = load_model(path)
    session = Session(RunConfig.of(model=cell, load=str(path), window=24, batch_size=4, embed=8,
                                   dtype=loaded.dtype.name))
    run = session.training_run
    assert np.array_equal(run.model.flat_params, loaded.flat_params)
    session._apply("complete", (PROMPT,), {})
    by_file = loaded.vocab.decode(loaded.generate(loaded.vocab.encode(PROMPT), 12, temperature=0.0))
    shown = run.completion.completion  # stops after the sentence's full stop; by_file after 12
    assert shown and (shown.startswith(by_file) or by_file.startswith(shown))


def test_a_gan_file_holds_both_networks_and_the_average(files, capsys):
    path, report = files["gan"]
    description, arrays, metadata = read_model_file(path)
    assert description["kind"] == "gan" and description["distribution"] == "ring"
    assert {name.split(".")[0] for name in arrays} == {"G", "D", "G_average"}
    assert metadata["kind"] == "gan" and metadata["epoch"] == 40
    gan = load_model(path)
    assert isinstance(gan, Gan) and gan.G.sizes == (8, 32, 32, 2) and gan.D.sizes == (2, 32, 32, 1)
    assert not np.array_equal(gan.G.flat_params, gan.G_shown.flat_params)  # the average is its own
    again = _train(capsys, "--model", "gan", "--dataset", "ring", "--load", str(path), "--epochs", "0")
    for key in ("js_divergence", "kl_divergence", "modes_covered"):  # of the averaged G: the very one
        assert again[key] == report[key]


def test_a_loaded_gan_keeps_its_networks_and_takes_the_training_settings_given(files, capsys):
    path, _ = files["gan"]
    session = Session(RunConfig.of(model="gan", dataset="ring", load=str(path), g_lr=1e-3, g_layers=(4,)))
    gan = session.training_run.model
    assert gan.G.sizes == (8, 32, 32, 2)  # the file's, not --g-layers
    assert gan.spec.g_lr == 1e-3 and gan.g_opt.lr == 1e-3
    assert np.array_equal(gan.D.flat_params, load_model(path).D.flat_params)


@pytest.mark.parametrize("kind, args", [
    ("lstm", ("--model", "lstm", *SMALL)),
    ("gan", ("--model", "gan", "--dataset", "two-gaussians", "--g-average", "0")),
])
def test_the_apps_save_key_writes_a_file_that_loads(kind, args, tmp_path):
    from nn_tui.cli import _app_parser, _config

    _, config = _config(_app_parser(), list(args))
    session = Session(config)
    session._apply("step", (), {})
    path = tmp_path / "saved.npz"
    session._apply("save", (str(path),), {})
    loaded = load_model(path)
    run = session.training_run
    if kind == "gan":
        assert np.array_equal(loaded.G.flat_params, run.model.G.flat_params)
        assert loaded.G_shown is loaded.G  # no average kept: none saved
    else:
        assert np.array_equal(loaded.flat_params, run.model.flat_params)
    session._apply("save", (str(path),), {})  # an nn-tui model file is replaced unasked


# --- files that do not fit, or are damaged -------------------------------------------------
def _rewrite(source, target, meta=None, drop=(), extra=None, change=None):
    with np.load(source, allow_pickle=False) as npz:
        arrays = dict(npz)
    document = json.loads(arrays["meta"].tobytes().decode())
    if meta:
        meta(document)
    arrays["meta"] = np.frombuffer(json.dumps(document).encode(), dtype=np.uint8)
    for name in drop:
        del arrays[name]
    arrays.update(extra or {})
    if change:
        change(arrays)
    np.savez(target, **arrays)
    return target


def _nan(arrays):
    arrays["head.b"] = np.full_like(arrays["head.b"], np.nan)


LSTM_DAMAGE = {
    "unknown cell": (dict(meta=lambda m: m.update(cell="transformer")), "unknown cell 'transformer'"),
    "hidden does not fit the arrays": (dict(meta=lambda m: m.update(hidden=13)), "has shape"),
    "unsorted vocabulary": (dict(meta=lambda m: m.update(chars=m["chars"][::-1])), "sorted"),
    "no vocabulary": (dict(meta=lambda m: m.pop("chars")), "vocabulary"),
    "huge hidden": (dict(meta=lambda m: m.update(hidden=10**9)), "hidden must be"),
    "missing entry": (dict(drop=("cell.U",)), "missing cell.U"),
    "extra entry": (dict(extra={"cell.V": np.zeros(3)}), "unexpected entries cell.V"),
    "NaN weights": (dict(change=_nan), "NaN"),
}


@pytest.mark.parametrize("case", LSTM_DAMAGE, ids=str)
def test_a_mismatched_character_model_file_is_one_line_exit_2(case, files, tmp_path, capsys):
    changes, phrase = LSTM_DAMAGE[case]
    bad = _rewrite(files["lstm"][0], tmp_path / "bad.npz", **changes)
    err = _error(capsys, "--model", "lstm", "--load", str(bad), "--epochs", "1")
    assert phrase in err


GAN_DAMAGE = {
    "bad spec": (dict(meta=lambda m: m["spec"].update(noise_dim=0)), "--noise-dim"),
    "unknown setting": (dict(meta=lambda m: m["spec"].update(wings=2)), "wings"),
    "unknown distribution": (dict(meta=lambda m: m.update(distribution="moon")), "unknown distribution"),
    "layers do not fit": (dict(meta=lambda m: m["spec"].update(g_layers=[16, 32])), "has shape"),
    "no average kept": (dict(meta=lambda m: m["spec"].update(g_average=0.0)), "unexpected entries G_average"),
    "missing network": (dict(drop=("D.0.W",)), "missing D.0.W"),
}


@pytest.mark.parametrize("case", GAN_DAMAGE, ids=str)
def test_a_mismatched_gan_file_is_one_line_exit_2(case, files, tmp_path, capsys):
    changes, phrase = GAN_DAMAGE[case]
    bad = _rewrite(files["gan"][0], tmp_path / "bad.npz", **changes)
    err = _error(capsys, "--model", "gan", "--dataset", "ring", "--load", str(bad), "--epochs", "1")
    assert phrase in err


@pytest.mark.parametrize("name", ["lstm", "gan"])
def test_a_truncated_file_is_one_line_exit_2_without_traceback(name, files, tmp_path):
    data = files[name][0].read_bytes()
    bad = tmp_path / "cut.npz"
    bad.write_bytes(data[: len(data) // 2])
    args = ("--model", "lstm") if name == "lstm" else ("--model", "gan", "--dataset", "ring")
    done = subprocess.run([sys.executable, "-m", "nn_tui", "train", *args, "--load", str(bad), "--epochs", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "damaged" in done.stderr or "is not an nn-tui model file" in done.stderr, done.stderr


def test_another_texts_characters_are_refused_in_one_line(files, tmp_path, capsys):
    text = tmp_path / "other.txt"
    text.write_text("0123456789 +-*/=" * 100)
    err = _error(capsys, "--model", "lstm", "--data", str(text), "--load", str(files["lstm"][0]), "--epochs", "1")
    assert "other characters" in err


@pytest.mark.parametrize("name, phrase", [("lstm", "--model lstm"), ("gan", "--model gan")])
def test_a_file_loaded_without_its_model_kind_says_which_to_add(name, phrase, files, capsys):
    assert phrase in _error(capsys, "--load", str(files[name][0]), "--epochs", "1")


def test_a_gan_file_is_not_a_character_model(files):
    with pytest.raises(ModelFileError, match="holds a gan, not a network"):
        read_model_file(files["gan"][0], expected_kind="network")


@pytest.mark.parametrize("name, kind", [("lstm", "lstm"), ("gan", "gan")])
def test_export_refuses_them_in_one_line(name, kind, files, tmp_path, capsys):
    assert export_main([str(files[name][0]), "--to", "onnx", "-o", str(tmp_path / "out.onnx")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"cannot export a {kind} model" in err, err
    assert not (tmp_path / "out.onnx").exists()
