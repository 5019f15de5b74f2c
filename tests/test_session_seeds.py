"""r draws new starting weights and R new data, each from a new seed that is shown and
kept in the setup, so a setup file, a share string or an autosave gives the same run."""

import numpy as np

from nn_tui import autosave
from nn_tui.config import RunConfig
from nn_tui.kinds.supervised import model_arrays
from nn_tui.lessons import LESSONS
from nn_tui.lessons.runs import config_for
from nn_tui.session import Session
from nn_tui.setup_file import config_from_share, config_to_toml, load_toml, share_string

from tests.views import plane


def apply(session, command, *args):
    session.send(command, *args)
    session.apply_commands()
    return session.snapshot


def notices(session):
    said = []
    while not session.notices.empty():
        said.append(session.notices.get_nowait().text)
    return said


def weights(session):
    return model_arrays(session.training_run.model)


def same_weights(a, b):
    wa, wb = weights(a), weights(b)
    return wa.keys() == wb.keys() and all(np.array_equal(wa[k], wb[k]) for k in wa)


def same_data(a, b):
    da, db = a.dataset, b.dataset
    return np.array_equal(da.X_train, db.X_train) and np.array_equal(da.X_test, db.X_test)


def test_r_r_r_gives_three_new_starts_on_the_same_data_each_seed_said():
    session = Session(RunConfig())  # the playground: circle, 4-2 tanh
    start = Session(RunConfig())
    notices(session)
    losses = [session.snapshot.metrics["train_loss"]]
    for seed in (1, 2, 3):
        snap = apply(session, "reset")
        assert snap.settings["seed"] == seed and snap.epoch == 0
        assert any(f"seed {seed}" in text for text in notices(session))
        losses.append(snap.metrics["train_loss"])
        assert same_data(session, start) and not same_weights(session, start)
    assert len(set(losses)) == 4, losses


def test_R_draws_new_data_from_a_new_data_seed_and_keeps_the_weight_seed():
    session = Session(RunConfig.of(seed=4))
    points = plane(session.snapshot).train_points
    notices(session)
    snap = apply(session, "regenerate")
    assert snap.settings["seed"] == 4 and snap.settings["data_seed"] == 5
    assert any("data seed 5" in text for text in notices(session))
    assert not np.array_equal(plane(snap).train_points, points)
    assert same_weights(session, Session(RunConfig.of(seed=4)))  # the same starting weights


def _reopened(session, tmp_path):
    """The session's setup through a setup file (C) and a share string (u), opened again."""
    config = session.snapshot.settings["config"]
    path = tmp_path / "setup.toml"
    path.write_text(config_to_toml(config), encoding="utf-8")
    return Session(load_toml(path)), Session(config_from_share(share_string(config)))


def test_a_setup_saved_after_r_r_and_R_opens_on_the_same_weights_and_data(tmp_path):
    session = Session(RunConfig.of(dataset="spiral", layers=(6,), seed=7))
    apply(session, "reset")
    apply(session, "reset")
    for again in _reopened(session, tmp_path):
        assert again.config.train.seed == 9 and same_weights(again, session) and same_data(again, session)
    apply(session, "regenerate")
    apply(session, "reset")
    for again in _reopened(session, tmp_path):
        assert same_weights(again, session) and same_data(again, session)
        assert not same_data(again, Session(RunConfig.of(dataset="spiral", layers=(6,), seed=7)))


def test_a_run_after_r_and_R_resumes_bit_for_bit(tmp_path):
    path = tmp_path / "autosave.npz"
    session = Session(RunConfig.of(dataset="xor", layers=(5,)), autosave_path=path)
    apply(session, "regenerate")
    apply(session, "reset")
    apply(session, "step")
    session.autosave()
    resumed = Session(RunConfig(), resume=autosave.read(path))
    assert resumed.config == session.config
    assert same_weights(resumed, session) and same_data(resumed, session)
    apply(session, "step")
    apply(resumed, "step")
    assert same_weights(resumed, session) and resumed.scores == session.scores


def test_an_autosave_that_keeps_its_data_seed_apart_still_resumes_on_its_data(tmp_path):
    """Autosaves written before the data seed was a setting hold it beside the settings."""
    path = tmp_path / "autosave.npz"
    session = Session(RunConfig.of(dataset="xor"), autosave_path=path)
    apply(session, "regenerate")
    apply(session, "step")
    state = session.session_state()
    old = autosave.SessionState(RunConfig.of(dataset="xor"), 1, state.run, state.history, state.watch)
    autosave.write(path, old)
    resumed = Session(RunConfig(), resume=autosave.read(path))
    assert same_data(resumed, session) and same_weights(resumed, session)


def test_xor_stuck_network_r_gives_another_start():
    session = Session(config_for(LESSONS["xor"], "stuck"))
    stuck = Session(config_for(LESSONS["xor"], "stuck"))
    apply(session, "reset")
    assert not same_weights(session, stuck) and same_data(session, stuck)


def test_xor_step_5_r_until_a_start_gets_out_of_the_stuck_quadrant():
    """Step 5: "r for new starting weights ... get the test accuracy above 99 %". Each r is
    another start; one of the next three gets out (measured: seeds 12 and 13 settle at
    0.98, seed 14 passes 0.99 within 10 epochs)."""
    session = Session(config_for(LESSONS["xor"], "stuck"))
    best = []
    for _ in range(3):
        apply(session, "reset")
        for _ in range(150):
            session._apply("step", (), {})
            if session.scores["test_accuracy"] >= 0.99:
                break
        best.append(session.scores["test_accuracy"])
    assert max(best) >= 0.99, best


def test_R_on_a_text_that_no_seed_changes_says_so_instead_of_new_data():
    session = Session(RunConfig.of(model="rnn", dataset="fluent"))
    notices(session)
    apply(session, "regenerate")
    assert session.config.data_seed == 0
    assert any("same for every seed" in text for text in notices(session))


def test_R_on_a_file_that_went_away_leaves_the_run_and_its_data_seed_as_they_were(tmp_path):
    path = tmp_path / "own.csv"
    path.write_text("a,b,label\n" + "".join(f"{i % 7},{i % 5},{i % 2}\n" for i in range(40)))
    session = Session(RunConfig.of(data=str(path), target="label"))
    path.unlink()
    notices(session)
    apply(session, "regenerate")
    assert session.config.data_seed == 0 and any("own.csv" in text for text in notices(session))
