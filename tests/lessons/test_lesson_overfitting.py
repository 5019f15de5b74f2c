"""The overfitting lesson: its steps, and claims that can fail."""

from nn_tui.lessons import overfitting
from lesson_walk import walk


def test_steps_overfit_then_each_remedy_in_turn():
    start = {"epoch": 0, "run": "overfit", "overfit_marked": 0, "status": "paused"}
    seen = walk(overfitting.LESSON, start, [
        {"epoch": 60, "overfit_marked": 1},     # marked, not yet at epoch 100
        {"epoch": 100},                          # step 1 done
        "next",                                  # read step 2
        {"run": "more_data", "epoch": 0}, {"epoch": 200},
        {"run": "l2", "epoch": 0}, {"epoch": 199}, {"epoch": 200},
        {"run": "dropout", "epoch": 0}, {"epoch": 200},
        {"run": "early_stopping", "epoch": 0, "status": "training", "stopped_early_at": None}, {"epoch": 35},
        {"epoch": 39, "stopped_early_at": 39},   # early stopping stopped the run
        {"run": "smaller", "epoch": 0}, {"epoch": 200},
    ])
    assert seen == [0, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 5, 6, 6, 7]


def test_the_turn_claim_is_missed_by_a_run_that_does_not_overfit():
    assert overfitting.overfit_run_turns(seeds=(0,)).holds
    assert not overfitting.overfit_run_turns(seeds=(0,), run="smaller").holds


def test_a_remedy_that_changes_nothing_does_not_close_the_gap(monkeypatch):
    monkeypatch.setitem(overfitting.REMEDIES, "nothing", ({}, "9", "nothing"))
    assert not overfitting.remedy_closes_the_gap("nothing", seeds=(0,)).holds
    assert overfitting.remedy_closes_the_gap("smaller", seeds=(0,)).holds


def test_every_remedy_is_a_run_with_its_switch_key():
    runs = overfitting.LESSON.setup["runs"]
    assert set(runs) == {"overfit", *overfitting.REMEDIES}
    assert sorted(run["key"] for run in runs.values()) == ["1", "2", "3", "4", "5", "6"]
    assert runs["dropout"]["dropout"] == 0.5 and runs["early_stopping"]["early_stop"] == 20
