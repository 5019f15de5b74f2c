"""q asks once when the model is not saved; the default save name never overwrites;
the training process reads the data from its path: no data set goes down a pipe."""

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
from tests.app.pilot_helpers import wait_for

ROOT = Path(__file__).resolve().parents[2]


def make_app(**config) -> NNTuiApp:
    return NNTuiApp(Session(RunConfig.of(**config)), fps=20)


async def _trained(pilot, app):
    await pilot.press("s")  # one epoch
    await wait_for(pilot, lambda: app.session.snapshot.epoch >= 1)


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
        await wait_for(pilot, lambda: not app.session.snapshot.unsaved)
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
            await wait_for(pilot, lambda: (tmp_path / expected).exists())
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


def _pickled_parts(obj) -> tuple[list, list, int]:
    """(data sets, arrays, bytes) in what "spawn" pickles down the pipe to the child."""
    import io
    import pickle

    import numpy as np

    from nn_tui.data import Dataset

    datasets, arrays = [], []

    class Watching(pickle.Pickler):
        def reducer_override(self, value):
            if isinstance(value, Dataset):
                datasets.append(value)
            elif isinstance(value, np.ndarray):
                arrays.append(value.size)
            return NotImplemented

    buffer = io.BytesIO()
    Watching(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return datasets, arrays, len(buffer.getvalue())


@pytest.mark.parametrize("kind", [("mlp", {}), ("cnn", {"conv": (4,), "layers": (8,)})])
def test_no_data_set_goes_down_the_pipe_to_the_training_process(tmp_path, kind):
    """The app reads the data to check it and draw the first frame; the child reads it from
    its path. 400 images of 28x28 are 314 KB: none of it may be in the child's arguments."""
    import struct

    import numpy as np

    def idx(array):
        return struct.pack(">HBB", 0, 8, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()

    labels = (np.arange(400) % 4).astype(np.uint8)
    images = np.random.default_rng(0).integers(0, 256, (400, 28, 28), dtype=np.uint8)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(idx(images))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(idx(labels))
    name, settings = kind
    config = RunConfig.of(model=name, data=str(tmp_path / "train-images-idx3-ubyte"), epochs=2, **settings)
    session = SessionProcess(config, fps=20)
    datasets, arrays, size = _pickled_parts(session._process._args)
    assert not datasets and max(arrays, default=0) < 1000 and size < 20_000, (len(datasets), arrays, size)
    receiver = threading.Thread(target=session.run, daemon=True)
    receiver.start()
    try:
        session.send("step")
        deadline = time.monotonic() + 120
        while session.snapshot.epoch < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert session.snapshot.epoch == 1  # the child loaded the images itself and trained
        notices = []
        while not session.notices.empty():
            notices.append(session.notices.get_nowait())
        assert not [n for n in notices if n.severity == "error"], notices
    finally:
        session.stop()
    assert not session._process.is_alive()
