"""The lessons' runs table: one line a run at every width a lesson gives it (80×24 too)."""

import pytest
from textual.app import App, ComposeResult

from nn_tui.ui.widgets.runs_table import RunsTable


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield RunsTable()


@pytest.mark.parametrize("width", [36, 72])
async def test_every_run_keeps_to_one_line(width):
    app = TableApp()
    async with app.run_test(size=(width, 12)) as pilot:
        table = app.query_one(RunsTable)
        rows = [(label, ("203", "0.271", "0.617", "+0.35"), "")
                for label in ("overfit", "5× the data", "early stop 20", "4 units")]
        table.show_rows("runs", ("ep", "train", "test", "gap"), rows, "4 units")
        await pilot.pause(0.1)
        lines = table.render().wrap(app.console, table.content_size.width)
        assert len(lines) == 5, [line.plain for line in lines]
        assert "▶ 4 units" in lines[-1].plain and "+0.35" in lines[-1].plain


def test_the_overfitting_table_keeps_a_row_until_that_runs_snapshot_arrives():
    # Step 8: "Press 1 to see the overfit run again": the 4-unit run's last snapshot, still
    # shown after the key, overwrote the overfit run's row (the comparison then lied).
    from dataclasses import replace
    from types import SimpleNamespace

    from nn_tui.lessons import LESSONS
    from nn_tui.lessons.overfitting.screen import follow
    from nn_tui.lessons.runs import config_for
    from nn_tui.lessons.screen_values import LessonState
    from nn_tui.session import Session

    lesson = LESSONS["overfitting"]
    screen = SimpleNamespace(state=LessonState(lesson))
    overfit = replace(Session(config_for(lesson, "overfit")).snapshot, epoch=101,
                      metrics={"train_loss": 0.116, "test_loss": 0.837})
    follow(screen, overfit)
    screen.state.switch_to("smaller")
    follow(screen, overfit)  # the overfit run's snapshot after 6: not the smaller run's row
    smaller = replace(Session(config_for(lesson, "smaller")).snapshot, epoch=414,
                      metrics={"train_loss": 0.203, "test_loss": 0.635})
    follow(screen, smaller)
    screen.state.switch_to("overfit")
    follow(screen, smaller)  # after 1, the smaller run's last snapshot
    assert screen.state.own.rows == {"overfit": (101, 0.116, 0.837), "smaller": (414, 0.203, 0.635)}
