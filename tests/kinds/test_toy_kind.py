"""The seam is real: a kind the package does not ship, registered from here, trains
through the session, is driven by its own command, and is drawn on its own screen."""

import sys
import types
from dataclasses import dataclass

import numpy as np
import pytest
from textual.widgets import Static

from nn_tui.config import RunConfig
from nn_tui.data import REGRESSION, Dataset
from nn_tui.kinds import ModelKind, Run, register, unregister
from nn_tui.session import Session
from nn_tui.views import View
from tests.app.pilot_helpers import wait_for


@dataclass(frozen=True)
class ToySpec:
    kind: str = "toy"
    slope: float = 0.0


@dataclass(frozen=True, eq=False)
class SlopeView(View):
    slope: float
    errors: np.ndarray


class ToyRun(Run):
    """Fits y = slope * x by gradient descent, one step per epoch."""

    def __init__(self, config, dataset):
        super().__init__(config, dataset)
        self.slope = config.model.slope
        self.lr = config.train.lr
        self._epoch = 0

    epoch = property(lambda self: self._epoch)
    step = property(lambda self: self._epoch)

    def train_steps(self, max_steps):
        x, y = self.dataset.X_train[:, 0], self.dataset.y_train[:, 0]
        self.slope -= self.lr * 2 * np.mean((self.slope * x - y) * x)
        self._epoch += 1
        return True

    def _loss(self, X, Y):
        return float(np.mean((self.slope * X[:, 0] - Y[:, 0]) ** 2))

    def scores(self):
        return {"train_loss": self._loss(self.dataset.X_train, self.dataset.y_train),
                "test_loss": self._loss(self.dataset.X_test, self.dataset.y_test)}

    def set_lr(self, lr):
        self.lr = lr

    def set_optimizer(self, train_config):
        self.lr = train_config.lr

    def set_batch_size(self, size):
        pass


def set_slope(session, value):
    session.training_run.slope = float(value)


class ToyKind(ModelKind):
    name = "toy"
    summary = "a line through the origin (test only)"
    spec = ToySpec
    datasets = ("line",)
    commands = {"set_slope": set_slope}
    panes = "toy_kind_panes"

    def load_data(self, config, seed):
        x = np.linspace(-1, 1, 40).reshape(-1, 1)
        return Dataset("line", REGRESSION, x[::2], 3 * x[::2], x[1::2], 3 * x[1::2], ("x",))

    def build(self, config, dataset, model=None):
        return ToyRun(config, dataset)

    def probes(self, run):
        x = run.dataset.X_test[:, 0]
        return (SlopeView(slope=run.slope, errors=run.slope * x - run.dataset.y_test[:, 0]),)

    def settings(self, run):
        return {"slope": round(run.slope, 3)}


class SlopePane(Static):
    pass


def _toy_panes_module():
    from nn_tui.ui.controls import Control
    from nn_tui.ui.panes import Column, Layout, Pane, register_pane

    module = types.ModuleType("toy_kind_panes")

    def draw(widget, snapshot, view, ui):
        widget.update(f"slope {view.slope:.3f} worst error {np.abs(view.errors).max():.3f}")

    register_pane(SlopeView, SlopePane, draw)
    module.LAYOUT = Layout(columns=(Column("left", (Pane("slope", SlopeView),)),))
    module.CONTROLS = (Control("x", "Slope to 3", command="set_slope", args=(3.0,), kinds=("toy",)),)
    module.make_ui = lambda: None
    return module


@pytest.fixture
def toy_kind():
    kind = register(ToyKind())
    sys.modules["toy_kind_panes"] = _toy_panes_module()
    yield kind
    unregister("toy")
    sys.modules.pop("toy_kind_panes", None)


def test_a_kind_registered_from_outside_trains_through_the_session(toy_kind):
    session = Session(RunConfig.of(model="toy", lr=0.5))
    assert session.snapshot.kind == "toy" and session.snapshot.view(SlopeView).slope == 0.0
    for _ in range(30):
        session.send("step")
        session.apply_commands()
    snap = session.snapshot
    assert snap.epoch == 30 and abs(snap.view(SlopeView).slope - 3.0) < 0.05
    assert snap.metrics["test_loss"] < 0.01 and len(snap.history.get("train_loss")) == 31
    assert not snap.view(SlopeView).errors.flags.writeable
    session.send("set_slope", -1.0)  # the kind's own command
    session.apply_commands()
    assert session.snapshot.view(SlopeView).slope == -1.0
    with pytest.raises(AttributeError):
        session.send("add_layer")  # the MLP's command is not the toy's


async def test_a_kind_registered_from_outside_has_its_own_screen_and_keys(toy_kind):
    from nn_tui.ui.app import NNTuiApp

    app = NNTuiApp(Session(RunConfig.of(model="toy", lr=0.5)), fps=20)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        assert "slope 0.000" in str(app.query_one("#slope").render())
        assert not app.query("#topology")  # no dense-network panes on this screen
        await pilot.press("x")
        await wait_for(pilot, lambda: "slope 3.000" in str(app.query_one("#slope").render()))
        assert "slope 3.000" in str(app.query_one("#slope").render())
        assert "Slope to 3" in [c.label for c in app.playground.controls]
