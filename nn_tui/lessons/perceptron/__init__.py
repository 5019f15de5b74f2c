"""Lesson 1: a threshold unit set by hand (McCulloch and Pitts), then learnt by Rosenblatt's rule."""

from __future__ import annotations

import numpy as np

from dataclasses import dataclass

from nn_tui.engine import Perceptron
from nn_tui.lessons.gates import INPUTS, TRUTH_TABLES, hand_set_perceptron, rows_right, train_perceptron
from nn_tui.lessons.lesson import (
    READ_ONLY, ClaimResult, Lesson, Step, any_changed, at_least, epochs_trained, equals,
)
from nn_tui.lessons.screen_values import network

EPOCH_BUDGET = 100
MANY_INPUTS = 100
MANY_SAMPLES = 200
RANDOM_GUESSES = 1000
BY_HAND = equals("set_by_hand", True)  # the hand-tuning steps: training must not do them for the user
TUNED = any_changed("w1", "w2", "threshold")  # ... nor one nudge on weights a run had already found


def learns_gate(gate, epochs=EPOCH_BUDGET, seed=0):
    _, _, right = train_perceptron(gate, epochs, seed=seed)
    accuracy = right[-1] / 4
    return ClaimResult(f"the perceptron's learning rule reaches 100 % on {gate.upper()} "
                       f"(within {epochs} epochs)", accuracy, accuracy == 1.0)


def hand_set_weights(w1=1.0, w2=1.0, and_threshold=1.5, or_threshold=0.5):
    """w1 = w2 = 1: the sum is 0, 1 or 2, so a threshold of 1.5 asks for both
    inputs (AND) and 0.5 for either (OR)."""
    accuracy = {
        "and": rows_right(hand_set_perceptron(w1, w2, and_threshold), "and") / 4,
        "or": rows_right(hand_set_perceptron(w1, w2, or_threshold), "or") / 4,
    }
    return ClaimResult(f"by hand, w1 = {w1:g}, w2 = {w2:g} with threshold {and_threshold:g} compute AND "
                       f"and with threshold {or_threshold:g} OR", accuracy,
                       accuracy["and"] == 1.0 and accuracy["or"] == 1.0)


def rule_beats_guessing(n_inputs=MANY_INPUTS, samples=MANY_SAMPLES, guesses=RANDOM_GUESSES,
                        epochs=EPOCH_BUDGET, seed=0):
    """Why hand-tuning 100 weights is hopeless: a problem a line (a hyperplane)
    can solve, labelled by a hidden perceptron; random weight settings, as
    blind fiddling would try them, against the learning rule."""
    rng = np.random.default_rng(seed)
    teacher = rng.normal(size=n_inputs)
    X = rng.normal(size=(samples, n_inputs))
    y = (X @ teacher >= 0).astype(np.float64)
    student = Perceptron(n_inputs, seed=seed)
    for _ in range(epochs):
        if student.train_epoch(X, y, 0.1) == 0:
            break
    weights = rng.uniform(-0.5, 0.5, size=(n_inputs, guesses))
    biases = rng.uniform(-0.5, 0.5, size=guesses)
    guessed = ((X @ weights + biases >= 0) == (y[:, None] >= 0.5)).mean(axis=0)
    value = {"learning_rule": student.accuracy(X, y), "best_random_guess": float(guessed.max())}
    return ClaimResult(f"with {n_inputs} inputs the learning rule gets all {samples} samples right "
                       f"(within {epochs} epochs); the best of {guesses} random weight settings does not",
                       value, value["learning_rule"] == 1.0 and value["best_random_guess"] < 1.0)


# ------------------------------------------------------------------ the screen's values
PARAMETERS = ("w1", "w2", "threshold")  # what the lesson's keys tune by hand
PARAMETER_STEP = 0.1


@dataclass
class PerceptronState:
    """The lesson screen's own: the parameter the keys tune, and what was set by hand."""

    parameter: int = 0  # index into PARAMETERS
    hand_set: dict[str, float] | None = None  # w1, w2, threshold as last set by hand


def perceptron_parameters(view) -> dict[str, float]:
    """w1, w2 and the threshold of a two-input threshold unit (it fires when
    w1·x1 + w2·x2 ≥ threshold, so the threshold is minus the bias)."""
    weights, bias = view.weights[0][:, 0], view.biases[0][0]
    return {"w1": float(weights[0]), "w2": float(weights[1]), "threshold": float(-bias)}


def truth_table(view, gate: str) -> list[tuple[int, int, int, int]]:
    """(x1, x2, the unit's output, the gate's answer) for the four rows."""
    outputs = (INPUTS @ view.weights[0][:, 0] + view.biases[0][0]) >= 0
    return [(int(x1), int(x2), int(out), int(want))
            for (x1, x2), out, want in zip(INPUTS, outputs, TRUTH_TABLES[gate])]


def set_by_hand(state, view, name: str, value: float) -> tuple[str, tuple]:
    """The session command that sets one of the PARAMETERS to ``value``; the screen
    remembers the hand-set values (in ``state.own``), so training or new weights show."""
    state.own.hand_set = {**perceptron_parameters(view), name: value}
    if name == "threshold":
        return "set_bias", (0, 0, -value)
    return "set_weight", (0, PARAMETERS.index(name), 0, value)


def _parameter(name):
    return lambda snapshot, state: perceptron_parameters(network(snapshot))[name]


def _hand_set_shown(snapshot, state) -> bool:
    """The unit shown has the weights the user set by hand (not trained, not reset)."""
    now, hand_set = perceptron_parameters(network(snapshot)), state.own.hand_set
    return hand_set is not None and all(abs(now[name] - hand_set[name]) < 1e-9 for name in PARAMETERS)


def _truth_table_correct(snapshot, state) -> int:
    return sum(out == want for _, _, out, want in truth_table(network(snapshot), snapshot.dataset))


VALUES = {
    "w1": _parameter("w1"),
    "w2": _parameter("w2"),
    "threshold": _parameter("threshold"),
    "gate": lambda snapshot, state: snapshot.dataset,
    "truth_table_correct": _truth_table_correct,
    "set_by_hand": _hand_set_shown,
}


LESSON = Lesson(
    name="perceptron",
    title="The perceptron: a threshold unit, tuned by hand and by its rule",
    summary="A threshold unit on AND and OR: set by hand as in 1943, then learnt by Rosenblatt's rule (1958).",
    steps=(
        Step("McCulloch and Pitts' threshold unit (1943) copies a neuron in the simplest way: it multiplies "
             "each input by a weight (a stronger or weaker connection), adds them up, and outputs 1 when the "
             "sum reaches a threshold, 0 otherwise. Its weights were set by hand. Tab picks w1, w2 or the "
             "threshold; + and - change it. "
             "Watch the decision line and the truth table move.",
             any_changed("w1", "w2", "threshold") & BY_HAND, keys=("tab", "+", "-"),
             held_at_goal=True),
        Step("Make it compute AND by hand: the output is 1 only for 1 AND 1. Hint: with w1 = w2 = 1 the sum "
             "is 0, 1 or 2; where must the threshold go?",
             equals("gate", "and") & equals("truth_table_correct", 4) & BY_HAND & TUNED, keys=("tab", "+", "-")),
        Step("Press g for OR: 1 when either input is 1. One number has to change. Which?",
             equals("gate", "or") & equals("truth_table_correct", 4) & BY_HAND & TUNED, keys=("g", "tab", "+", "-")),
        Step("Now let it learn: that is Frank Rosenblatt's perceptron (1958). Press r to scramble the weights "
             "and Space to train: after each mistake his rule moves every weight by the error times its "
             "input (w += lr·(y − ŷ)·x). Once a whole "
             "epoch passes without a mistake, nothing moves any more.",
             epochs_trained(1) & at_least("train_accuracy", 1.0), keys=("r", "space")),
        Step("With two inputs, hand-tuning works. Stories often say early perceptrons were tuned by hand; the "
             "hand-set units were McCulloch and Pitts', and the perceptron's point was that it learnt. With "
             "100 inputs there are 100 weights to adjust, and each one changes what the others should be. The "
             "rule does it in a few passes over the data; blind fiddling practically never does (--verify "
             "measures it).",
             READ_ONLY),
    ),
    claims=(
        lambda: learns_gate("and"),
        lambda: learns_gate("or"),
        hand_set_weights,
        rule_beats_guessing,
    ),
    setup={"model": "perceptron", "dataset": "gates:and", "gates": ["and", "or"], "lr": 0.1, "seed": 0,
           "pace": 2},  # epochs a second: each epoch's four rows and mistakes can be followed
    screen_only=("gates",),
    panes=("truth_table", "output", "parameters"),
    left_panes=("truth_table",),
    keys={"space": "play_pause", "s": "step_epoch", "r": "reset_weights"},  # and its own: tab, +, -, g
    values=VALUES,
    make_state=PerceptronState,
    screen="nn_tui.lessons.perceptron.screen",
)
