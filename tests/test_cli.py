"""`nn-tui train`: reports, errors and exit codes, as a user meets them."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_tui.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "assets" / "data"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nn_tui", *args], capture_output=True, text=True, timeout=120
    )


def train_json(capsys, *args: str) -> dict:
    assert main(["train", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_train_json_report_has_the_promised_fields(capsys):
    report = train_json(capsys, "--dataset", "circle", "--epochs", "3")
    for key in ("task", "epochs", "seconds", "train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        assert key in report
    assert report["epochs"] == 3 and report["task"] == "binary"


def test_regression_report_has_rmse_and_r2(capsys):
    report = train_json(capsys, "--dataset", "sine", "--layers", "8", "--epochs", "2")
    assert {"test_rmse", "test_r2"} <= report.keys() and "test_accuracy" not in report


def test_same_seed_same_numbers_bit_for_bit(capsys):
    args = ("--dataset", "spiral", "--layers", "6,6", "--optimizer", "adam", "--epochs", "5", "--seed", "7")
    first, second = train_json(capsys, *args), train_json(capsys, *args)
    assert first["train_loss"] == second["train_loss"] and first["test_loss"] == second["test_loss"]
    other = train_json(capsys, *args[:-1], "8")
    assert other["train_loss"] != first["train_loss"]


@pytest.mark.parametrize(
    "args, phrase",
    [
        (["--optimizer", "bogus"], "invalid choice"),
        (["--frobnicate"], "unrecognized arguments"),
        (["--dataset", "nope"], "unknown data set"),
        (["--lr", "-1"], "--lr"),
        (["--noise", "0.9"], "--noise"),
        (["--layers", "4,x"], "--layers"),
        (["--data", "missing.csv", "--target", "y"], "missing.csv"),
        (["--data", "x.csv"], "--target"),
        (["--model", "perceptron", "--dataset", "blobs"], "perceptron"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, args, phrase):
    assert main(["train", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert phrase in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_malformed_csv_and_corrupt_model_exit_2_without_traceback(tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b,y\n1,2,0\n3,4\n5,6,1\n")
    junk = tmp_path / "model.npz"
    junk.write_bytes(b"\x00\x01not a model at all" * 10)
    for args in (["--data", str(ragged), "--target", "y"], ["--load", str(junk)]):
        result = run_cli("train", *args)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_divergence_exits_3_and_says_what_to_try():
    result = run_cli("train", "--dataset", "reg-plane", "--lr", "10", "--epochs", "50", "--json")
    assert result.returncode == 3
    assert "diverged" in result.stderr and "learning rate" in result.stderr
    assert "Traceback" not in result.stderr


def test_save_then_continue_from_the_saved_model(tmp_path, capsys):
    path = tmp_path / "circle.npz"
    first = train_json(capsys, "--epochs", "5", "--save", str(path))
    assert path.exists()
    again = train_json(capsys, "--epochs", "0", "--load", str(path))
    assert again["test_loss"] == pytest.approx(first["test_loss"], rel=1e-12)
    with np.load(path, allow_pickle=False) as saved:  # a plain npz, no pickles
        assert saved.files


def test_loaded_model_must_fit_the_data(tmp_path, capsys):
    path = tmp_path / "m.npz"
    train_json(capsys, "--epochs", "1", "--save", str(path))
    assert main(["train", "--load", str(path), "--features", "x1,x2,x1sq"]) == 2
    assert "inputs" in capsys.readouterr().err


def test_help_and_module_entry_point_work():
    result = run_cli("train", "--help")
    assert result.returncode == 0 and "--epochs" in result.stdout
    assert "--play" in run_cli("--help").stdout


def test_progress_bar_run_prints_a_report(capsys):
    assert main(["train", "--epochs", "2"]) == 0
    assert "test loss" in capsys.readouterr().out


def test_titanic_notes_tell_the_user_what_was_imputed(capsys):
    report = train_json(capsys, "--data", str(EXAMPLES / "titanic.csv"), "--target", "survived",
                        "--drop", "alive", "--epochs", "1")
    assert any("age" in note for note in report["notes"])


def test_each_kind_fills_in_its_own_defaults_for_shared_options():
    from nn_tui.cli import _config, _train_parser

    _, cnn = _config(_train_parser(), ["--model", "cnn"])
    assert cnn.model.layers == (64,) and cnn.model.activation == "relu"  # not the MLP's 4,2 tanh
    assert cnn.data.dataset == "digits" and cnn.train.optimizer == "adam"
    _, mlp = _config(_train_parser(), ["--model", "mlp"])
    assert mlp.model.layers == (4, 2) and mlp.data.dataset == "circle" and mlp.train.lr == 0.03
    _, given = _config(_train_parser(), ["--model", "cnn", "--layers", "32", "--lr", "0.01"])
    assert given.model.layers == (32,) and given.train.lr == 0.01


def test_the_cli_pins_blas_to_one_thread_unless_the_user_chose():
    import os
    import subprocess
    import sys

    code = "import nn_tui.cli, os; print(os.environ['OPENBLAS_NUM_THREADS'])"
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    assert subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout.strip() == "1"
    env["OPENBLAS_NUM_THREADS"] = "2"
    assert subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout.strip() == "2"


def test_the_commands_share_one_parser_and_one_table_of_user_errors():
    """nn-tui, train, serve, export and lesson: one argparse subclass (errors in one line,
    exit 2) and one tuple of user errors, in nn_tui.command_line and nn_tui.user_errors."""
    import ast

    from nn_tui import command_line, serve
    from nn_tui.cli import _app_parser, _train_parser
    from nn_tui.export import cli as export_cli
    from nn_tui.lessons import cli as lesson_cli

    parsers = (_train_parser(), _app_parser(), serve.parser(), export_cli.parser(), lesson_cli._parser())
    assert {type(parser) for parser in parsers} == {command_line.Parser}
    parser_classes, error_tables = [], []
    for path in sorted((Path(__file__).resolve().parents[1] / "nn_tui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any("ArgumentParser" in ast.unparse(base) for base in node.bases):
                parser_classes.append(path.name)
            if isinstance(node, ast.ExceptHandler) and isinstance(node.type, ast.Tuple) and \
                    {"ConfigError", "DataError"} <= {ast.unparse(e).rpartition(".")[2] for e in node.type.elts}:
                error_tables.append(path.name)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple) and \
                    "ConfigError" in {ast.unparse(e).rpartition(".")[2] for e in node.value.elts}:
                error_tables.append(path.name)
    assert parser_classes == ["command_line.py"]
    assert error_tables == ["user_errors.py"]


def test_a_text_file_for_a_kind_that_reads_no_text_names_the_kinds_that_do(tmp_path):
    """The kinds that read text come from the registry (a kind's `reads_text`), so a new
    character model is named without editing a message (issue 18)."""
    from nn_tui.kinds import KINDS

    text = tmp_path / "story.txt"
    text.write_text("I live in France. I speak fluent French.\n" * 20)
    result = run_cli("train", "--data", str(text), "--epochs", "1")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    readers = [name for name, kind in KINDS.items() if kind.reads_text]
    assert {"rnn", "lstm", "gru", "attention"} <= set(readers)
    assert all(name in line for name in readers) and "mlp" not in line.split("--model")[1]
