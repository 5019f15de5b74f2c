"""`nn-tui lesson`: the suite runs --verify for every lesson, as a user would."""

import json
import os
import subprocess
import sys

import pytest

from nn_tui.lessons import LESSONS



def run_lesson(*args):
    # One BLAS thread: the runs are tiny, and several of these run at once under xdist.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "nn_tui", "lesson", *args], capture_output=True, text=True,
                          timeout=1800, env=env)  # a hang guard only: rnn and attention take minutes under load


def test_the_story_has_its_lessons_in_order():
    assert list(LESSONS) == ["perceptron", "xor", "backprop", "activations", "overfitting", "deep", "approximation",
                             "sparse", "digits", "tabular", "cnn", "rnn", "attention", "autoencoder", "gan", "why-now",
                             "alphago"]


@pytest.mark.parametrize("name", list(LESSONS))
def test_verify_prints_one_json_object_and_every_claim_holds(name):
    result = run_lesson(name, "--verify")
    report = json.loads(result.stdout)  # exactly one JSON document, nothing else on stdout
    assert report["lesson"] == name
    assert report["claims"], "a lesson with no claims verifies nothing"
    for claim in report["claims"]:
        assert set(claim) == {"claim", "value", "holds"}
        assert isinstance(claim["claim"], str) and claim["claim"]
        assert claim["holds"] is True, claim
    assert result.returncode == 0, result.stderr


def test_list_names_every_lesson_with_its_one_line_summary():
    result = run_lesson("--list")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(LESSONS)
    for line in lines:
        lesson = LESSONS[line.split()[0]]
        assert line.split(None, 1)[1] == lesson.summary


@pytest.mark.parametrize("args, says", [
    (("nope",), "unknown lesson 'nope'"),
    (("nope", "--verify"), "unknown lesson 'nope'"),
    (("tabular", "--data", "/no/such/file.csv", "--target", "y"), "/no/such/file.csv"),
    ((), "name a lesson"),
    (("xor", "--data", "x.csv", "--target", "y"), "belong to a lesson about tables (tabular), not xor"),
    (("tabular", "--data", "x.csv"), "go together"),
    (("xor", "--bogus"), "unrecognized arguments"),
])
def test_bad_input_is_one_line_and_exit_2(args, says):
    result = run_lesson(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_claim_that_fails_makes_verify_exit_1(capsys, monkeypatch):
    from nn_tui.lessons import cli, lesson as lesson_module

    broken = lesson_module.Lesson("broken", "t", "s", claims=(
        lambda: lesson_module.ClaimResult("holds", 1.0, True),
        lambda: lesson_module.ClaimResult("does not", 0.5, False),
    ))
    monkeypatch.setitem(sys.modules["nn_tui.lessons"].__dict__, "LESSONS", {"broken": broken})
    assert cli.main(["broken", "--verify"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [claim["holds"] for claim in report["claims"]] == [True, False]


def test_the_top_level_command_dispatches_to_lessons(capsys):
    from nn_tui.cli import main

    assert main(["lesson", "--list"]) == 0
    assert "perceptron" in capsys.readouterr().out


def test_a_missing_data_file_is_one_line_and_exit_2(capsys, monkeypatch, tmp_path):
    from nn_tui.lessons import cli, tabular

    monkeypatch.setattr(tabular, "TITANIC", tmp_path / "missing.csv")
    tabular.titanic.cache_clear(), tabular.trained.cache_clear()
    try:
        assert cli.main(["tabular", "--verify"]) == 2
    finally:
        tabular.titanic.cache_clear(), tabular.trained.cache_clear()
    captured = capsys.readouterr()
    assert captured.out == "" and "cannot verify lesson tabular" in captured.err
    assert len(captured.err.strip().splitlines()) == 1


@pytest.mark.parametrize("args, lesson, dataset", [
    (("perceptron",), "perceptron", "and"),
    (("xor",), "xor", "xor"),
    (("tabular", "--data", "OWN", "--target", "label", "--drop", "note"), "tabular", "own"),
])
def test_opening_a_lesson_starts_the_app_on_it(args, lesson, dataset, monkeypatch, tmp_path):
    """nn-tui lesson NAME builds the lesson's first run and runs the app on the lesson
    (the app's run is replaced here; tests/app/test_lessons.py drives the real screen)."""
    from nn_tui import session_process
    from nn_tui.lessons import cli
    from nn_tui.session import Session
    from nn_tui.ui.app import NNTuiApp

    own = tmp_path / "own.csv"
    own.write_text("a,b,note,label\n" + "".join(f"{i % 7},{i % 3},n{i},{i % 2}\n" for i in range(40)))
    args = tuple(str(own) if a == "OWN" else a for a in args)
    opened = {}
    monkeypatch.setattr(session_process, "SessionProcess", lambda config, **options: Session(config))
    monkeypatch.setattr(NNTuiApp, "run", lambda app: opened.update(
        lesson=app.lesson, dataset=app.session.snapshot.dataset, inputs=app.session.snapshot.views[0].input_labels))
    assert cli.main(list(args)) == 0
    assert opened["lesson"] == lesson and opened["dataset"] == dataset
    if lesson == "tabular":
        assert "note" not in " ".join(opened["inputs"])  # --drop reached the run


def test_a_lesson_autosaves_and_logs_as_the_playground_does(monkeypatch, tmp_path):
    """`nn-tui lesson NAME` starts its training process as `nn-tui` does: with the autosave
    (so `nn-tui --resume` brings the lesson's run back) and the log."""
    from nn_tui import autosave, session_process
    from nn_tui.cli import main
    from nn_tui.session import Session
    from nn_tui.ui.app import NNTuiApp

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    started = []

    def record(config, **options):
        started.append(options)
        return Session(config, autosave_path=options.get("autosave_path"))

    monkeypatch.setattr(session_process, "SessionProcess", record)

    def train_one_step_and_quit(app):
        app.session.send("step")
        app.session.send("stop_session")
        app.session.run()

    monkeypatch.setattr(NNTuiApp, "run", train_one_step_and_quit)
    assert main(["lesson", "backprop"]) == 0
    saved = autosave.read(tmp_path / "nn-tui" / "autosave.npz")
    assert (saved.config.data.dataset, saved.epoch) == ("gates:xor", 1)  # the lesson's run, trained
    assert main(["--dataset", "xor"]) == 0
    lesson, playground = started
    assert lesson["autosave_path"] == playground["autosave_path"] == tmp_path / "nn-tui" / "autosave.npz"
    assert lesson["log_path"] == playground["log_path"] == tmp_path / "nn-tui" / "training.log"
