"""The attention lesson's first claim (the LSTM trained from scratch at one gap), its runs,
and step 2's numbers against the gap chart the step names."""

from nn_tui.data.text import FILLERS, FLUENT_PAIRS, LONG_FILLERS, fluent_story
from nn_tui.kinds.sequence.views import GapChartView
from nn_tui.lessons import attention
from nn_tui.ui.widgets.sequence_views import gap_chart_text


def test_a_run_too_short_to_learn_gap_0_fails_the_claim():
    short = attention.lstm_fades_with_distance(steps=30)
    assert set(short.value) == {"gap_0", f"gap_{attention.FAR}"}
    assert short.value["gap_0"] < attention.LEARNS and not short.holds


def test_the_runs_compared_differ_only_in_the_gap_and_every_far_story_fits_a_window():
    near = attention.lstm_from_scratch(0, steps=1)["settings"]
    far = attention.lstm_from_scratch(attention.FAR, steps=1)["settings"]
    assert {name for name in near if near[name] != far[name]} == {"gap"}
    assert near["ramp"] == 0.0  # from scratch: no warm-up on shorter gaps
    country, language = max(FLUENT_PAIRS, key=lambda pair: len(pair[0]) + len(pair[1]))
    longest = sorted((FILLERS[i] for i in LONG_FILLERS), key=len)[-attention.FAR:]
    # a window holds window + 1 characters: the far story, its separator, then the next one
    assert len(fluent_story(country, language, longest)) + 1 <= far["window"]


def test_step_two_tells_the_numbers_its_chart_shows():
    from nn_tui.lessons.attention.screen import from_scratch

    text = attention.LESSON.steps[1].text
    assert "chart" in text and "from scratch" in text.lower()
    for gap in (0, attention.FAR):
        assert attention.percent(gap) in text
    kinds = GapChartView(measured=(("rnn", 2, 0.058), ("lstm", 2, 1.0), ("gru", 2, 1.0), ("attention", 8, 1.0)),
                         session=(("lstm", 3, 0.06),), max_gap=8, current=("lstm", 3))
    shown = from_scratch(kinds)
    assert sorted(shown.measured) == sorted([("lstm", gap, accuracy)
                                             for gap, accuracy in attention.MEASURED_FROM_SCRATCH.items()]
                                            + [("attention", 8, 1.0)])  # the warmed-up rows are left out
    assert shown.session == kinds.session  # the learner's own runs stay
    lstm_row = next(line for line in gap_chart_text(shown, 70).plain.splitlines() if line.startswith("lstm"))
    for gap in (0, attention.FAR):
        assert f"{attention.MEASURED_FROM_SCRATCH[gap]:.2f}" in lstm_row, lstm_row
