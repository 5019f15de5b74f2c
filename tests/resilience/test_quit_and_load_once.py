"""q asks once when the model is not saved; the default save name never overwrites;
a data file is read once, in the app, and the training process gets the data set."""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.session_process import SessionProcess
from nn_tui.state_dir import free_path
from nn_tui.ui.app import NNTuiApp
from nn_tui.ui.screens import SaveScreen

ROOT = Path(__file__).resolve().parents[2]


def make_app(**config) -> NNTuiApp:
    return NNTuiApp(Session(RunConfig.of(**config)), fps=20)


async def _trained(pilot, app):
    await pilot.press("s")  # one epoch
    for _ in range(100):
        if app.session.snapshot.epoch >= 1:
            return
        await pilot.pause(0.05)
    raise AssertionError("no epoch")


async def test_q_after_training_asks_once_then_q_quits():
    app = make_app(dataset="xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await _trained(pilot, app)
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        assert any("not saved" in str(n.message) for n in app._notifications)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_y_answers_the_question():
    app = make_app(dataset="xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("y")  # no question asked yet: y does nothing
        await pilot.pause()
        assert app.is_running
        await _trained(pilot, app)
        await pilot.press("q", "y")
        await pilot.pause()
        assert not app.is_running


async def test_q_quits_at_once_when_nothing_trained_or_the_model_was_saved(tmp_path):
    app = make_app(dataset="xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    app = make_app(dataset="xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await _trained(pilot, app)
        app.session.send("save", str(tmp_path / "m.npz"))
        for _ in range(100):
            if not app.session.snapshot.unsaved:
                break
            await pilot.pause(0.05)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_the_default_save_name_never_overwrites_an_earlier_save(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(dataset="xor")
    async with app.run_test(size=(120, 40)) as pilot:
        for expected in ("nn-tui-xor.npz", "nn-tui-xor-2.npz", "nn-tui-xor-3.npz"):
            await pilot.press("w")
            await pilot.pause()
            assert isinstance(app.screen, SaveScreen)
            await pilot.press("enter")  # the default name
            for _ in range(100):
                if (tmp_path / expected).exists():
                    break
                await pilot.pause(0.05)
            assert (tmp_path / expected).exists()
    assert free_path(tmp_path / "other.npz") == tmp_path / "other.npz"


def test_the_app_never_saves_over_a_file_that_is_not_a_model(tmp_path):
    victim = tmp_path / "victim.csv"
    victim.write_text("a,b\n1,2\n")
    session = Session(RunConfig.of(dataset="xor"))
    session._apply("save", (str(victim),), {})
    assert victim.read_text() == "a,b\n1,2\n"
    texts = []
    while not session.notices.empty():
        texts.append(session.notices.get_nowait().text)
    assert any("not an nn-tui model" in text for text in texts), texts


def test_a_data_file_is_read_once_and_the_training_process_gets_the_data(tmp_path, monkeypatch):
    import nn_tui.datasets

    csv = tmp_path / "titanic.csv"
    shutil.copy(ROOT / "assets" / "data" / "titanic.csv", csv)
    calls = []
    real = nn_tui.datasets.load_csv
    monkeypatch.setattr(nn_tui.datasets, "load_csv", lambda *a, **k: calls.append(a) or real(*a, **k))
    config = RunConfig.of(data=str(csv), target="survived", drop=("alive",))
    session = SessionProcess(config, fps=20)
    os.unlink(csv)  # the child, still importing NumPy, could not read it now
    receiver = threading.Thread(target=session.run, daemon=True)
    receiver.start()
    try:
        session.send("step")
        deadline = time.monotonic() + 60
        while session.snapshot.epoch < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert session.snapshot.epoch == 1
        notices = []
        while not session.notices.empty():
            notices.append(session.notices.get_nowait())
        assert not [n for n in notices if n.severity == "error"], notices
    finally:
        session.stop()
    assert len(calls) == 1  # in the app, once (the first frame's snapshot did not read it again)
    assert not session._process.is_alive()
