"""The lesson screen's logic without the app: real Sessions, real snapshots, the
values the screen computes from their views, and the steps they move on."""

import numpy as np
import pytest

from nn_tui.config import RunConfig
from nn_tui.lessons import LESSONS, StepTracker
from nn_tui.lessons.backprop import HIDDEN_BIASES, HIDDEN_WEIGHTS, OUTPUT_BIAS, OUTPUT_WEIGHTS
from nn_tui.lessons.runs import config_for, run_names, run_settings, start_commands
from nn_tui.lessons.perceptron import set_by_hand
from nn_tui.lessons.screen_values import LessonState, lesson_values, network, progress
from nn_tui.lessons.sparse import live_links as connections
from nn_tui.lessons.tabular import MERGED
from nn_tui.session import Session


def session_for(name, run=None, **options):
    return Session(config_for(LESSONS[name], run, **options))


def apply(session, *commands):
    """Send commands (name, *args) or (name, {kwargs}) and apply them, as the training thread does."""
    for command in commands:
        name, *args = command
        if args and isinstance(args[-1], dict) and name == "set_data":
            session.send(name, **args[-1])
        else:
            session.send(name, *args)
    session.apply_commands()
    return session.snapshot


class Walk:
    """A lesson's tracker fed from a real session, as the screen feeds it."""

    def __init__(self, name, run=None, **options):
        self.lesson = LESSONS[name]
        self.session = session_for(name, run, **options)
        self.state = LessonState(self.lesson)
        self.tracker = StepTracker(self.lesson, self.progress())

    def progress(self):
        return progress(self.lesson, self.session.snapshot, self.state)

    def do(self, *commands):
        apply(self.session, *commands)
        self.tracker.update(self.progress())
        return self.tracker.index

    def by_hand(self, name, value):
        """What the perceptron lesson's + and - keys send (and remember)."""
        command, args = set_by_hand(self.state, network(self.session.snapshot), name, value)
        return self.do((command, *args))


@pytest.mark.parametrize("name", list(LESSONS))
def test_every_run_of_every_lesson_builds_and_answers_what_its_steps_read(name):
    lesson = LESSONS[name]
    answered = set()
    for run in run_names(lesson) or (None,):
        session = Session(config_for(lesson, run))
        values = lesson_values(lesson, session.snapshot, LessonState(lesson, run=run))
        answered |= set(progress(lesson, session.snapshot, LessonState(lesson, run=run)))
        assert set(values) <= set(lesson.reads())
    # Every name a step reads is answered by one of the lesson's runs (the perceptron's
    # w1 by the perceptron, the ring's modes by the ring), from its first snapshot on.
    assert set(lesson.reads()) <= answered, set(lesson.reads()) - answered


def test_perceptron_hand_tuning_then_or_then_the_rule():
    walk = Walk("perceptron")
    assert walk.session.snapshot.dataset == "and" and walk.tracker.index == 0
    assert walk.do(("step",)) == 0  # training changed the weights: not by hand
    assert walk.by_hand("w1", 1.0) == 1  # w1 changed by hand: step 1 done
    # AND by hand: w1 = w2 = 1, threshold 1.5 (bias -1.5); the truth table is read from the view.
    assert walk.by_hand("w2", 1.0) == 1
    assert walk.by_hand("threshold", 1.5) == 2
    assert walk.progress()["truth_table_correct"] == 4 and walk.progress()["threshold"] == 1.5
    # g switches the gate and the screen re-sends the hand-set values; OR needs threshold 0.5.
    index = walk.do(("set_data", {"dataset": "gates:or"}), ("set_weight", 0, 0, 0, 1.0),
                    ("set_weight", 0, 1, 0, 1.0), ("set_bias", 0, 0, -1.5))
    assert index == 2 and walk.progress()["gate"] == "or" and walk.progress()["truth_table_correct"] == 2  # 01 and 10 wrong
    assert walk.by_hand("threshold", 0.5) == 3
    # The rule: fresh weights, then epochs until no mistake.
    walk.do(("reset",))
    for _ in range(100):
        if walk.do(("step",)) == 4:
            break
    assert walk.tracker.index == 4 and walk.session.snapshot.metrics["train_accuracy"] == 1.0


def test_xor_perceptron_then_network_then_stuck_through_use_run():
    walk = Walk("xor")
    lesson = walk.lesson
    assert walk.session.snapshot.kind == "perceptron"
    for _ in range(20):
        walk.do(("step",))
    assert walk.tracker.index == 1
    assert walk.session.snapshot.metrics["train_accuracy"] <= 0.75  # never settles
    walk.do(("use_run", run_settings(lesson, "network")))
    assert walk.session.snapshot.kind == "mlp" and walk.session.snapshot.epoch == 0
    for _ in range(200):
        if walk.do(("step",)) == 2:
            break
    assert walk.tracker.index == 2 and walk.session.snapshot.metrics["test_accuracy"] >= 0.99
    assert walk.do() == 2  # a read-only step waits for Enter
    walk.tracker.next()
    walk.do(("use_run", run_settings(lesson, "stuck")))
    assert walk.session.snapshot.settings["hidden"] == (3,)
    for _ in range(150):
        if walk.do(("step",)) == 4:
            break
    assert walk.tracker.index == 4, walk.session.snapshot.metrics  # stuck: three quadrants, acc <= 0.85


def test_a_command_for_the_previous_kind_is_a_notice_not_a_crash():
    session = session_for("xor")  # the perceptron
    session.send("use_run", run_settings(LESSONS["xor"], "network"))
    session.send("use_run", run_settings(LESSONS["xor"], "perceptron"))
    session._commands.put(("add_neuron", (0,), {}))  # sent while the network was shown
    session.apply_commands()
    notices = []
    while not session.notices.empty():
        notices.append(session.notices.get_nowait().text)
    assert session.snapshot.kind == "perceptron"
    assert any("not for a perceptron model" in text for text in notices)


def test_backprop_starts_from_the_lessons_weights_and_steps_follow_the_phase():
    walk = Walk("backprop")
    walk.do(*[(command, *args) for command, args in start_commands(walk.lesson)])
    view = network(walk.session.snapshot)
    assert np.array_equal(view.weights[0], np.array(HIDDEN_WEIGHTS))
    assert np.array_equal(view.biases[0], np.array(HIDDEN_BIASES))
    assert np.array_equal(view.weights[1][:, 0], np.array(OUTPUT_WEIGHTS))
    assert view.biases[1][0] == OUTPUT_BIAS
    seen = []
    for _ in range(7):
        walk.state.own.phase += 1
        seen.append(walk.do())
    assert seen == [0, 1, 2, 3, 4, 4, 5]
    walk.state.own.phase -= 1  # ← goes back without undoing steps
    assert walk.do() == 5


def test_approximation_units_rmse_and_targets():
    walk = Walk("approximation")
    for _ in range(300):
        walk.do(("step",))
    assert walk.tracker.index == 1
    for _ in range(7):
        walk.do(("add_neuron", 0))
    assert walk.progress()["hidden_units"] == 8 and walk.tracker.index == 1  # step 2 asks for Space too
    for _ in range(300):  # ... to train the 8 units 300 epochs
        walk.do(("step",))
    assert walk.tracker.index == 2
    # Step 3 reads "with 8 units that takes about 2,000 epochs": measured, epoch 2,068 (the
    # 300 of step 2 included; 16 units, started afresh by n, take 1,296).
    for _ in range(2500):
        if walk.do(("step",)) == 3:
            break
    assert walk.session.snapshot.metrics["test_rmse"] <= 0.05
    assert walk.progress()["hidden_units"] == 8 and 1800 <= walk.session.snapshot.epoch <= 2200
    assert walk.do(("set_data", {"dataset": "approximation:sine"})) == 4
    assert walk.progress()["target"] == "sine"


def test_sparse_cut_prune_and_l1_values_from_the_view():
    walk = Walk("sparse")
    total = connections(network(walk.session.snapshot))
    assert total == 64 * 32 + 32 * 10
    walk.do(("cut_weakest_link", 0, 3))
    assert walk.progress()["connections"] == total - 1
    walk.do(("prune_smallest", 0.5))
    assert walk.progress()["connections"] == 64 * 32 // 2 + 32 * 10 // 2
    walk.do(("cycle_setting", "reg", 1))
    assert walk.progress()["reg"] == "l1"
    assert 0.0 <= walk.progress()["zero_weights"] < 0.3


def test_tabular_importance_is_measured_on_the_training_side_and_shown():
    walk = Walk("tabular")
    for _ in range(10):
        walk.do(("step",))
    assert walk.progress()["importance_shown"] == 0
    walk.do(("measure_importance", MERGED))  # what the lesson's i key sends on the Titanic table
    from nn_tui.kinds.importance import ImportanceView

    view = walk.session.snapshot.view(ImportanceView)
    assert view is not None and walk.progress()["importance_shown"] == 1
    assert max(view.scores, key=view.scores.get) == "sex"
    walk.do(("reset",))
    assert walk.session.snapshot.view(ImportanceView) is None  # measured for that network only


def test_tabular_on_the_users_own_csv(tmp_path):
    path = tmp_path / "own.csv"
    rng = np.random.default_rng(0)
    rows = ["a,b,colour,label"] + [f"{x:.3f},{y:.3f},{'red' if x > 0 else 'blue'},{int(x + y > 0)}"
                                    for x, y in rng.normal(size=(80, 2))]
    path.write_text("\n".join(rows) + "\n")
    session = session_for("tabular", data=str(path), target="label")
    assert session.snapshot.dataset == "own" and "colour=red" in network(session.snapshot).input_labels


def test_activation_race_starts_with_its_first_racer():
    lesson = LESSONS["activations"]
    assert run_settings(lesson)["activation"] == "sigmoid"
    assert RunConfig.of(**run_settings(lesson, activation="relu")).model.activation == "relu"


@pytest.mark.parametrize("name, old, new", [("gan", "ring", "two_gaussians"), ("gan", "ring_badly_set", "ring"),
                                            ("rnn", "lstm", "rnn_no_gap")])
def test_a_run_switch_reads_no_run_until_the_new_runs_snapshot_arrives(name, old, new):
    # The learner trained `old`, then pressed `new`'s key: until the session has built the
    # new run, the snapshot shown is still the old run's, and a step naming `new` (gan's
    # "JS under 0.5", rnn's "80 % completed") must not pass on the old run's figures.
    lesson = LESSONS[name]
    session = session_for(name, old)
    state = LessonState(lesson, run=old)
    apply(session, ("step",))
    assert progress(lesson, session.snapshot, state)["run"] == old
    state.switch_to(new)  # what the screen's run key does, before the session has the use_run
    assert progress(lesson, session.snapshot, state)["run"] is None
    apply(session, ("use_run", run_settings(lesson, new)))
    assert progress(lesson, session.snapshot, state)["run"] == new
    apply(session, ("reset",))  # new weights later on: still the same named run
    assert progress(lesson, session.snapshot, state)["run"] == new


@pytest.mark.parametrize("name", [name for name in LESSONS if run_names(LESSONS[name])])
def test_every_named_run_is_recognised_in_its_first_snapshot(name):
    lesson = LESSONS[name]
    for run in run_names(lesson):
        state = LessonState(lesson)
        state.switch_to(run)
        assert state.run_shown(session_for(name, run).snapshot) == run
