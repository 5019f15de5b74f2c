"""A coloured border title set again to the same text does not repaint its pane: Textual
reads titles back in its own markup, so a plain comparison repainted the GAN plane every
frame (76 → 243 KB/s at 120x40)."""

from textual.widget import Widget

from nn_tui.ui.widgets.borders import set_border_subtitle, set_border_title

COLOURED = "[#1f77b4]●[/] real [#ff7f0e]●[/] fake · D says [#1f77b4]▒[/]"


def _counting_repaints(widget):
    repaints = []
    widget.refresh = lambda *args, **kwargs: repaints.append(1)
    return repaints


def test_the_same_coloured_title_is_not_set_again():
    widget = Widget()
    repaints = _counting_repaints(widget)
    set_border_title(widget, COLOURED)
    assert widget.border_title != COLOURED  # why a plain comparison fails: Textual's markup
    set_border_title(widget, COLOURED)
    set_border_subtitle(widget, COLOURED)
    set_border_subtitle(widget, COLOURED)
    assert len(repaints) == 2


def test_a_changed_title_or_one_set_elsewhere_is_set():
    widget = Widget()
    repaints = _counting_repaints(widget)
    set_border_title(widget, COLOURED)
    set_border_title(widget, COLOURED + " · mode collapse")
    widget.border_title = "something else"
    set_border_title(widget, COLOURED)
    assert widget.border_title.endswith("▒[/#1f77b4]") and len(repaints) == 4
    set_border_title(widget, None)
    assert widget.border_title is None


def test_no_pane_compares_its_border_text_by_hand():
    # Every such comparison was always unequal for a coloured title (six places did it).
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "nn_tui"
    by_hand = re.compile(r"border_(sub)?title\s*[!=]=")
    found = [f"{path.relative_to(package)}:{number}" for path in package.rglob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if by_hand.search(line)]
    assert found == [], f"use nn_tui.ui.widgets.borders.set_border_title/subtitle: {found}"
