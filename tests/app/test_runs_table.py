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
