"""The XOR lesson: its steps, and claims that fail when they should."""

from nn_tui.lessons import xor
from lesson_walk import walk

START = {"kind": "perceptron", "epoch": 0, "test_accuracy": 0.5, "status": "paused"}


def test_steps_from_the_stuck_perceptron_to_the_local_minimum():
    seen = walk(xor.LESSON, START, [
        {"epoch": 19},
        {"epoch": 20},                                      # perceptron trained 20 epochs
        {"kind": "mlp", "epoch": 0, "test_accuracy": 0.8},
        {"test_accuracy": 0.995},                           # solved: the read-only step
        "next",                                             # the stuck network
        {"epoch": 50, "test_accuracy": 0.77},
        {"epoch": 100, "test_accuracy": 0.77},              # stuck for 100 epochs
        {"epoch": 300, "test_accuracy": 1.0},               # got out
    ])
    assert seen == [0, 1, 1, 2, 3, 3, 4, 5]


def test_the_perceptron_claims_fail_where_a_line_suffices():
    assert all(result.holds for result in xor.perceptron_fails())
    on_or = xor.perceptron_fails(gate="or")
    assert not any(result.holds for result in on_or)  # OR is learned: 100 %, and it settles


def test_hidden_layer_claims_fail_without_training():
    assert not xor.hidden_layer_solves_truth_table(epochs=1).holds
    assert not xor.hidden_layer_solves_plane(epochs=1).holds


def test_the_stuck_claim_fails_for_a_network_that_is_not_stuck():
    result = xor.small_net_gets_stuck(units=4, seed=0)
    assert not result.holds and result.value["quadrants_right"] == 4


def test_what_to_try_fails_when_the_advice_is_the_stuck_start_again():
    assert not xor.what_to_try(other_seed=xor.STUCK_SEED, units=xor.STUCK_UNITS - 1).holds


def test_r_from_the_stuck_run_on_screen_gives_a_start_that_reaches_step_5s_goal():
    """The stuck run draws the claims' data (data seed 0), so the first r (the next
    weight seed, as what_to_try tests) gets out: fails when the run's data seed is 11."""
    from nn_tui.lessons.runs import config_for
    from nn_tui.session import Session

    session = Session(config_for(xor.LESSON, "stuck"))
    assert session.config.data_seed == 0
    session.send("reset")
    session.apply_commands()
    assert session.config.train.seed == xor.what_to_try.__defaults__[2] == xor.STUCK_SEED + 1
    for _ in range(xor.SOLVED_EPOCHS):
        session.send("step")
    session.apply_commands()
    assert session.snapshot.metrics["test_accuracy"] >= 0.99
    assert xor.what_to_try().holds


def test_the_mistakes_pane_counts_epochs_not_the_points_a_thinned_history_kept():
    from types import SimpleNamespace

    import numpy as np

    from nn_tui.lessons.xor.screen import draw_mistakes
    from nn_tui.snapshot import History

    kept = np.linspace(0, 40_006, 1217)  # a long run: the history keeps 1217 of its epochs
    history = History(epochs=kept, series={"train_accuracy": np.full(kept.size, 0.75)})
    snapshot = SimpleNamespace(history=history, kind="perceptron", epoch=40_006, metrics={})
    widget = SimpleNamespace(border_title="", show=lambda make: setattr(widget, "make", make))
    draw_mistakes(widget, snapshot, None, None)
    text = widget.make(60).plain
    assert "epochs: 40,006" in text and "1216" not in text and "1217" not in text
