"""Setups as TOML files (--config) and share strings (--share): every setting round-trips,
the command line overrides a file, and bad files and strings are one line, exit 2."""

import json
from dataclasses import fields, replace

import pytest

from nn_tui.cli import main
from nn_tui.config import ConfigError, DataConfig, RunConfig, TrainConfig, int_list, name_list
from nn_tui.kinds import KINDS
from nn_tui.setup_file import _options, config_from_share, config_to_toml, load_toml, share_string


def other_value(name: str, default, kwargs: dict):
    """A value of a setting that is not its default (and awkward to encode)."""
    kind = kwargs.get("type")
    if isinstance(default, bool):  # a switch (--batchnorm)
        return not default
    if kwargs.get("choices"):
        return next(c for c in kwargs["choices"] if c != default)
    if kind is int_list:
        return (3, 128, 5)
    if kind is name_list:
        return ("x1", "sinx2") if name == "features" else ("cabin; deck", "a=b,c")
    if kind is float:
        return (default or 0.0) + 0.125
    if kind is int:
        return (default or 0) + 37
    return f"dir é/{name};x=y,z.csv"  # text: paths and column names


def every_change(kind):
    """(group, field, value) for every setting of data, the kind's spec and training."""
    options = _options(kind)
    for group, dataclass in (("data", DataConfig), ("model", kind.spec), ("train", TrainConfig)):
        for f in fields(dataclass):
            if f.name != "kind":
                yield group, f.name, other_value(f.name, f.default, options.get(f.name, {}))


def changed(config: RunConfig, group: str, name: str, value) -> RunConfig:
    return replace(config, **{group: replace(getattr(config, group), **{name: value})})


@pytest.mark.parametrize("kind_name", sorted(KINDS))
def test_every_setting_of_every_kind_round_trips_through_share_and_toml(kind_name, tmp_path):
    kind = KINDS[kind_name]
    base = RunConfig(model=kind.spec())
    everything = base
    changes = list(every_change(kind))
    assert {name for _, name, _ in changes} >= {"dataset", "features", "lr", "seed", "epochs", "load"}
    for group, name, value in changes:
        config = changed(base, group, name, value)
        assert config != base
        assert config_from_share(share_string(config)) == config, name
        everything = changed(everything, group, name, value)
    assert config_from_share(share_string(everything)) == everything
    path = tmp_path / "setup.toml"
    path.write_text(config_to_toml(everything), encoding="utf-8")
    assert load_toml(path) == everything
    assert config_from_share(share_string(base)) == base


def test_share_strings_are_short_url_safe_and_versioned():
    config = RunConfig.of(dataset="spiral", layers=(8, 8), lr=0.1, features=("x1", "x2", "sinx1"), seed=7)
    text = share_string(config)
    assert text.startswith("1.") and len(text) < 110
    assert set(text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


@pytest.mark.parametrize("mangle", [
    lambda s: s[:-3],  # cut short
    lambda s: s[:10] + ("A" if s[10] != "A" else "B") + s[11:],  # one character mistyped
    lambda s: "7" + s[1:],  # a version from the future
    lambda s: "hello",
    lambda s: s + "!",
])
def test_a_corrupt_share_string_is_one_line_and_exit_2(mangle, capsys):
    text = mangle(share_string(RunConfig.of(dataset="xor", layers=(8,), lr=0.1)))
    with pytest.raises(ConfigError):
        config_from_share(text)
    assert main(["train", "--share", text, "--epochs", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert "share string" in err and len(err.splitlines()) == 1


def test_train_and_app_read_the_share_string_and_options_override_it(capsys):
    text = share_string(RunConfig.of(dataset="xor", layers=(3,), lr=0.1, epochs=2))
    assert main(["train", "--json", "--share", text]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["dataset"], report["sizes"], report["epochs"]) == ("xor", [2, 3, 1], 2)
    assert main(["train", "--json", "--share", text, "--layers", "5"]) == 0
    assert json.loads(capsys.readouterr().out)["sizes"] == [2, 5, 1]


def test_config_file_for_train_with_command_line_overrides(tmp_path, capsys):
    path = tmp_path / "xor.toml"
    path.write_text('[data]\ndataset = "xor"\n[model]\nlayers = [6]\n[train]\nepochs = 3\nlr = 0.1\n')
    assert main(["train", "--json", "--config", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["dataset"], report["sizes"], report["epochs"]) == ("xor", [2, 6, 1], 3)
    assert main(["train", "--json", f"--config={path}", "--epochs", "1", "--layers", "2,2"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["sizes"], report["epochs"]) == ([2, 2, 2, 1], 1)


def test_the_app_reads_a_config_file(tmp_path, monkeypatch):
    from nn_tui import cli

    path = tmp_path / "app.toml"
    path.write_text('[data]\ndataset = "spiral"\n[model]\nlayers = [5, 5]\n')
    seen = {}

    def no_session(config, fps, **options):  # stop where the app would start: the config is what counts
        seen["c"] = config
        raise SystemExit(0)

    monkeypatch.setattr("nn_tui.session_process.SessionProcess", no_session)
    with pytest.raises(SystemExit):
        cli.main(["--config", str(path), "--lr", "0.3"])
    config = seen["c"]
    assert (config.data.dataset, config.model.layers, config.train.lr) == ("spiral", (5, 5), 0.3)


@pytest.mark.parametrize("text, phrase", [
    ("[model]\nlayerz = 3\n", "layerz: not a setting of the mlp model"),
    ("[train]\nlr = 'fast'\n", "lr must be a number"),
    ("[train]\nlr = -1\n", "--lr must be a positive number"),
    ("[train]\nbatch_size = 2.5\n", "batch_size must be a whole number"),
    ("[model]\nactivation = 'swish'\n", "activation must be one of"),
    ("[model]\nkind = 'perceptron'\nlayers = [3]\n", "layers: not a setting of the perceptron model"),
    ("[extra]\nx = 1\n", "unknown section 'extra'"),
    ("[data\n", "not valid TOML"),
    ("[data]\nfeatures = [1, 2]\n", "features must be a list of names"),
])
def test_a_bad_config_file_is_one_line_and_exit_2(text, phrase, tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert main(["train", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert phrase in err and str(path) in err and len(err.splitlines()) == 1, err
    assert main(["train", "--config", str(tmp_path / "missing.toml")]) == 2
    assert "missing.toml" in capsys.readouterr().err


# --- Hostile setup files and share strings: one line, exit 2, never a traceback or a hang
def run_nn_tui(*args, timeout=300):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.run([sys.executable, "-m", "nn_tui", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, stdin=subprocess.DEVNULL)


def make_fifo(tmp_path):
    import os

    os.mkfifo(tmp_path / "setup.toml")  # no writer: opening it would wait for ever
    return str(tmp_path / "setup.toml")


@pytest.mark.parametrize("make, phrase", [
    (lambda tmp: ("a = " + "[" * 5000 + "]" * 5000 + "\n", None), "nested too deeply"),
    (lambda tmp: ("# padding\n" * 200_000, None), "nn-tui reads TOML files up to 1 MB"),
    (lambda tmp: (b"[data]\x00\n", None), "it contains NUL bytes"),
    (lambda tmp: (b"[data]\ndataset = '\xe9'\n", None), "TOML is UTF-8 text"),
    (lambda tmp: (None, "/dev/zero"), "/dev/zero: not a regular file"),
    (lambda tmp: (None, make_fifo(tmp)), "setup.toml: not a regular file"),
], ids=["nested-5000-deep", "2-MB", "NUL-bytes", "not-UTF-8", "dev-zero", "FIFO"])
def test_a_hostile_config_file_is_one_line_and_exit_2(make, phrase, tmp_path):
    content, path = make(tmp_path)
    if path is None:
        path = tmp_path / "setup.toml"
        (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    done = run_nn_tui("train", "--config", str(path), "--epochs", "1")
    assert done.returncode == 2 and phrase in done.stderr, done.stderr[-500:]
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_a_share_string_that_unpacks_to_megabytes_is_refused(capsys):
    import base64
    import zlib

    text = b"lr=0.1;" * 1_000_000  # 7 MB of settings packed into a few KB
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(text) + packer.flush() + zlib.crc32(text).to_bytes(4, "big")
    share = "1." + base64.urlsafe_b64encode(packed).decode().rstrip("=")
    assert len(share) < 20_000
    assert main(["train", "--share", share, "--epochs", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert "share string: unpacks to more than 64 KB" in err and len(err.splitlines()) == 1, err
