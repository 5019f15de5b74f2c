"""The confusion matrix: class names as long as the pane allows, counts in place."""

import numpy as np

from nn_tui.ui.widgets.test_set_views import confusion_text

COUNTS = np.array([[37, 1, 0], [0, 17, 0], [1, 0, 30]])
PENGUINS = ("Adelie", "Chinstrap", "Gentoo")


def test_names_are_whole_when_the_pane_is_wide_enough():
    lines = confusion_text(COUNTS, PENGUINS, width=46).plain.splitlines()
    assert "Chinstrap" in lines[1] and lines[3].strip().startswith("Chinstrap")
    assert "84 of 86 test samples right" in lines[-1]


def test_names_are_cut_to_fit_a_narrow_pane():
    lines = confusion_text(COUNTS, PENGUINS, width=36).plain.splitlines()
    assert all(len(line) <= 36 for line in lines[:5])
    assert "Chinstr" in lines[1] and "Chinstrap" not in lines[1]
    assert lines[3].split() == ["Chinstr", "0", "17", "0"]


def test_ten_digit_classes_fit_forty_cells():
    counts = np.diag(np.full(10, 45))
    lines = confusion_text(counts, None, width=40).plain.splitlines()
    assert all(len(line) <= 40 for line in lines[:12])
    assert lines[1].split() == [str(d) for d in range(10)]


def test_ten_digits_fit_a_small_screens_pane_without_wrapping():
    # At 80x24 the digits lesson's matrix pane is 32 cells wide: with a cell-wide label
    # column each row was 34 and wrapped, so row "0" read as two rows.
    import numpy as np

    from nn_tui.ui.widgets.test_set_views import confusion_text

    confusion = np.eye(10, dtype=int) * 44
    for height in (12, 20):
        lines = confusion_text(confusion, None, 32, height).plain.splitlines()
        assert max(len(line) for line in lines) <= 32, lines
        assert sum(line.startswith(("0 ", "9 ")) for line in lines) == 2, lines


def test_the_fit_plots_x_axis_never_reads_minus_zero():
    # The approximation lesson's fit read "-4.7 -2.4 -0.0 2.3" on its x axis.
    from types import SimpleNamespace

    import numpy as np

    from nn_tui.ui.widgets.test_set_views import FitPlot

    calls = {}

    class Recorder:
        def __getattr__(self, name):
            return lambda *args, **kwargs: calls.__setitem__(name, args)

    plot = FitPlot.__new__(FitPlot)
    x = np.linspace(-4.71, 4.69, 50)
    plot._snapshot = SimpleNamespace(x=x, true=np.sin(x), predicted=np.sin(x), is_curve=True)
    plot.draw(Recorder(), 60, 12)
    ticks, labels = calls["xticks"]
    assert "-0.0" not in labels and "0.0" in labels, labels
