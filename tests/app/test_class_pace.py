"""A served tab draws fewer frames a second in a big class, and asks its training for
snapshots no faster (issue 24: 20 tabs' screens share 2 cores); a key's answer is not paced."""

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.state_dir import SERVE_CLASS_ENV
from nn_tui.ui.app import NNTuiApp
from nn_tui.ui.class_pace import MIN_FPS, ClassPace, class_fps, write_class_size

from tests.app.pilot_helpers import status, wait_for


def test_the_class_shares_its_frames_out():
    assert class_fps(10, 1, 2) == 10  # alone: the app's own rate
    assert class_fps(10, 6, 2) == 10
    assert class_fps(10, 20, 2) == 3  # 60 frames a second for the class on 2 cores
    assert class_fps(10, 200, 2) == MIN_FPS
    assert class_fps(4, 20, 8) == 4  # never above --fps


def test_the_pace_follows_the_servers_file(tmp_path):
    path = tmp_path / "class"
    pace = ClassPace(10, path=str(path), cores=2)
    assert not pace.update(0.0) and pace.current_fps == 10  # no file yet: the app's own rate
    write_class_size(path, 20)
    assert not pace.update(0.5)  # looked at once a second
    assert pace.update(1.0) and pace.current_fps == 3
    assert not pace.update(2.0)  # unchanged
    write_class_size(path, 2)
    assert pace.update(3.5) and pace.current_fps == 10


async def test_a_tab_in_a_class_of_20_paces_its_run_and_still_answers_a_key_at_once(tmp_path, monkeypatch):
    path = tmp_path / "class"
    write_class_size(path, 1000)  # a class of any size on any machine: the slowest pace
    monkeypatch.setenv(SERVE_CLASS_ENV, str(path))
    session = Session(RunConfig.of())
    app = NNTuiApp(session, fps=10)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: session.publish_interval > 0.1)  # the training's snapshots, paced
        assert session.publish_interval == 1 / app.playground._pace.current_fps
        await pilot.press("space")
        await wait_for(pilot, lambda: "training" in status(app))
        await pilot.press("space")
        await wait_for(pilot, lambda: "paused" in status(app))


async def test_a_terminal_app_keeps_its_own_rate(monkeypatch):
    monkeypatch.delenv(SERVE_CLASS_ENV, raising=False)
    session = Session(RunConfig.of())
    app = NNTuiApp(session, fps=10)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(1.5)
        assert app.playground._pace.path is None
        assert session.publish_interval == 0.1
