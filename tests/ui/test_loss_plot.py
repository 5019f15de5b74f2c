"""The loss plot's epoch axis: whole, round epochs, a few of them, short labels."""

import pytest

from nn_tui.ui.widgets.loss_plot import epoch_ticks


@pytest.mark.parametrize("first, last, ticks, labels", [
    (0, 554, [0, 200, 400], ["0", "200", "400"]),
    (1, 2500, [500, 1000, 1500, 2000, 2500], ["500", "1,000", "1,500", "2,000", "2,500"]),
    (1, 17159, [5000, 10000, 15000], ["5k", "10k", "15k"]),
    (0, 1234567, [0, 500000, 1000000], ["0", "0.5M", "1M"]),
    (0, 3, [0, 1, 2, 3], ["0", "1", "2", "3"]),
    (1, 1, [1], ["1"]),
])
def test_epoch_ticks_are_round_and_few(first, last, ticks, labels):
    assert epoch_ticks(first, last) == (ticks, labels)


@pytest.mark.parametrize("last", [7, 99, 554, 12_345, 999_999])
@pytest.mark.parametrize("most", [2, 3, 5])
def test_epoch_ticks_stay_within_the_data_and_the_count(last, most):
    ticks, labels = epoch_ticks(1, last, most=most)
    assert 1 <= len(ticks) <= most and len(labels) == len(ticks)
    assert all(1 <= t <= last and isinstance(t, int) for t in ticks)


# The overfitting mark -------------------------------------------------------------------

import numpy as np  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402

from nn_tui.snapshot import History  # noqa: E402
from nn_tui.ui.widgets.loss_plot import MAGENTA, LossPlot  # noqa: E402


class PlotApp(App):
    def compose(self) -> ComposeResult:
        yield LossPlot()


def a_history(epochs=200):
    e = np.arange(epochs + 1, dtype=float)
    return History(epochs=e, series={"train_loss": 0.7 * np.exp(-e / 50), "test_loss": 0.4 + 0.002 * np.abs(e - 40),
                                     "step": 5 * e})


def mark_columns(plot) -> set[int]:
    """The columns where the plot drew the mark: magenta vertical bars."""
    columns = set()
    for strip in plot._strips:
        x = 0
        for segment in strip:
            color = segment.style.color if segment.style else None
            if color is not None and color.triplet is not None and tuple(color.triplet) == MAGENTA:
                columns.update(x + i for i, ch in enumerate(segment.text) if ch == "│")
            x += len(segment.text)
    return columns


async def test_the_plot_marks_the_epoch_the_run_began_to_overfit():
    app = PlotApp()
    async with app.run_test(size=(100, 24)) as pilot:
        plot = app.query_one(LossPlot)
        plot.update_history(a_history())
        await pilot.pause()
        assert mark_columns(plot) == set() and "overfitting" not in plot.border_title
        plot.update_history(a_history(), 40)
        await pilot.pause()
        early = mark_columns(plot)
        assert len(early) == 1 and "overfitting" in plot.border_title
        plot.update_history(a_history(), 160)
        await pilot.pause()
        late = mark_columns(plot)
        assert len(late) == 1 and min(late) > min(early)  # further right, at its epoch
        plot.by_step = True  # steps on the x axis: the same place, the step of that epoch
        await pilot.pause()
        assert mark_columns(plot) == late
        plot.update_history(a_history(), None)
        await pilot.pause()
        assert mark_columns(plot) == set() and "overfitting" not in plot.border_title


async def test_the_plot_is_rebuilt_only_when_its_points_or_its_mark_change(monkeypatch):
    app = PlotApp()
    async with app.run_test(size=(100, 24)) as pilot:
        plot = app.query_one(LossPlot)
        builds = []
        render = plot._render_chart
        monkeypatch.setattr(plot, "_render_chart", lambda w, h: builds.append(1) or render(w, h))
        history = a_history()
        plot.update_history(history, 40)
        await pilot.pause()
        count = len(builds)
        plot.update_history(history, 40)  # the next frame, nothing new
        assert len(builds) == count
        plot.update_history(history, 41)
        assert len(builds) == count + 1


def plot_text(plot) -> str:
    return "\n".join("".join(segment.text for segment in strip) for strip in plot._strips)


async def test_the_accuracy_axis_stays_between_0_and_1_when_accuracy_is_flat_at_0():
    e = np.arange(3, dtype=float)
    history = History(epochs=e, series={"train_loss": 3.9 - 0.01 * e, "test_loss": 3.88 - 0.01 * e,
                                        "test_accuracy": np.zeros_like(e)})
    app = PlotApp()
    async with app.run_test(size=(80, 16)) as pilot:
        plot = app.query_one(LossPlot)
        plot.update_history(history)
        await pilot.pause()
        right_axis = [line.rstrip().rsplit(" ", 1)[-1] for line in plot_text(plot).splitlines()[:10]]
        assert not any(label.startswith("-") for label in right_axis), right_axis
        assert right_axis[0].startswith("1.0")  # the top of the axis is 1


# The learning rate, when it changes -----------------------------------------------------

from nn_tui.ui.widgets.loss_plot import GREEN  # noqa: E402


def colour_cells(plot, rgb) -> int:
    cells = 0
    for strip in plot._strips:
        for segment in strip:
            color = segment.style.color if segment.style else None
            if color is not None and color.triplet is not None and tuple(color.triplet) == rgb:
                cells += len(segment.text.strip())
    return cells


@pytest.mark.parametrize("changes", [True, False])
async def test_the_learning_rate_is_drawn_under_the_losses_only_when_it_changes(changes):
    history = a_history()
    lr = 0.03 * (0.5 ** (history.epochs // 50)) if changes else np.full(len(history.epochs), 0.03)
    history = History(epochs=history.epochs, series={**history.series, "lr": lr})
    app = PlotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        plot = app.query_one(LossPlot)
        plot.update_history(history)
        await pilot.pause(0.2)
        assert (colour_cells(plot, GREEN) > 0) == changes
        assert ("lr (peak 0.03)" in str(plot.border_title)) == changes
