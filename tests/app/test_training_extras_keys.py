"""The playground's keys for dropout and batch norm: j J step the dropout rate, M turns
batch norm on and off; each builds the network it says, the settings pane shows it, and
the help lists them. A kind whose runs take neither binds neither."""

import pytest

from nn_tui.config import RunConfig
from nn_tui.engine import BatchNorm1d, BatchNorm2d, Dropout
from nn_tui.session import Session
from nn_tui.ui.app import NNTuiApp
from nn_tui.ui.controls import controls_for

from tests.app.pilot_helpers import wait_for


def layer_types(session):
    return [type(layer) for layer in session.training_run.model.layers]


def settings_pane(app) -> str:
    return str(app.query_one("#settings").render())


async def test_j_J_and_M_change_the_network_and_the_settings_pane_says_so():
    app = NNTuiApp(Session(RunConfig.of(dataset="spiral", layers=(8, 8))), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        session = app.session
        await wait_for(pilot, lambda: "dropout" in settings_pane(app))
        assert "off" in settings_pane(app).split("dropout")[1].split("\n")[0]
        await pilot.press("j")
        await wait_for(pilot, lambda: session.config.train.dropout == 0.1)
        await wait_for(pilot, lambda: "0.1" in settings_pane(app).split("dropout")[1])
        await pilot.press("j", "j")
        await wait_for(pilot, lambda: session.config.train.dropout == 0.3)
        assert [layer.p for layer in session.training_run.model.layers if isinstance(layer, Dropout)] == [0.3, 0.3]
        await pilot.press("J")
        await wait_for(pilot, lambda: session.config.train.dropout == 0.2)
        await pilot.press("M")
        await wait_for(pilot, lambda: session.config.train.batchnorm)
        await wait_for(pilot, lambda: "batch norm    on" in settings_pane(app))
        assert layer_types(session).count(BatchNorm1d) == 2
        await pilot.press("space")  # it trains with them
        await wait_for(pilot, lambda: session.snapshot.epoch >= 2)
        await pilot.press("space", "M")
        await wait_for(pilot, lambda: not session.config.train.batchnorm)
        assert BatchNorm1d not in layer_types(session)


def test_the_session_commands_behind_the_keys():
    session = Session(RunConfig.of(model="cnn"))
    for _ in range(6):
        session._apply("nudge", ("dropout", 1), {})
    assert session.config.train.dropout == 0.5  # the top of the ladder: it stays
    session._apply("nudge", ("dropout", -1), {})
    assert session.config.train.dropout == 0.3
    session._apply("toggle_batchnorm", (), {})
    assert BatchNorm2d in layer_types(session) and Dropout in layer_types(session)
    session = Session(RunConfig.of(dataset="xor", batch_size=1))
    session._apply("toggle_batchnorm", (), {})  # refused with a notice: batch norm needs 2 rows a batch
    assert not session.config.train.batchnorm and BatchNorm1d not in layer_types(session)
    notices = []
    while not session.notices.empty():
        notices.append(session.notices.get())
    assert notices[-1].severity == "error" and "--batch-size 2" in notices[-1].text


@pytest.mark.parametrize("kind", ["mlp", "cnn", "autoencoder"])
def test_the_kinds_that_take_them_bind_the_keys(kind):
    keys = {control.key for control in controls_for(kind, ())}
    assert {"j", "J", "M"} <= keys


@pytest.mark.parametrize("kind", ["gan", "dqn", "perceptron", "rnn"])
def test_the_others_do_not(kind):
    keys = {control.key for control in controls_for(kind, ())}
    assert not {"j", "J", "M"} & keys
