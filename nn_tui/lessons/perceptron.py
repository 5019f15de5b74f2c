"""Lesson 1: Rosenblatt's perceptron, tuned by hand, then by its learning rule."""

from __future__ import annotations

import numpy as np

from nn_tui.engine import Perceptron
from nn_tui.lessons.gates import hand_set_perceptron, rows_right, train_perceptron
from nn_tui.lessons.lesson import (
    READ_ONLY, ClaimResult, Lesson, Step, any_changed, at_least, epochs_trained, equals,
)

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


LESSON = Lesson(
    name="perceptron",
    title="The perceptron: a threshold unit, tuned by hand and by its rule",
    summary="Rosenblatt's 1958 unit on AND and OR: set w1, w2 and the threshold by hand, then let the rule learn them.",
    steps=(
        Step("Frank Rosenblatt's perceptron (1958) copies a neuron in the simplest way: it multiplies each "
             "input by a weight (a stronger or weaker connection), adds them up, and outputs 1 when the sum "
             "reaches a threshold, 0 otherwise. Tab picks w1, w2 or the threshold; + and - change it. "
             "Watch the decision line and the truth table move.",
             any_changed("w1", "w2", "threshold") & BY_HAND, keys=("tab", "+", "-")),
        Step("Make it compute AND by hand: the output is 1 only for 1 AND 1. Hint: with w1 = w2 = 1 the sum "
             "is 0, 1 or 2; where must the threshold go?",
             equals("gate", "and") & equals("truth_table_correct", 4) & BY_HAND & TUNED, keys=("tab", "+", "-")),
        Step("Press g for OR: 1 when either input is 1. One number has to change. Which?",
             equals("gate", "or") & equals("truth_table_correct", 4) & BY_HAND & TUNED, keys=("g", "tab", "+", "-")),
        Step("Now let it learn. Press r to scramble the weights and Space to train: after each mistake the "
             "rule moves every weight by the error times its input (w += lr·(y − ŷ)·x). Once a whole "
             "epoch passes without a mistake, nothing moves any more.",
             epochs_trained(1) & at_least("train_accuracy", 1.0), keys=("r", "space")),
        Step("With two inputs, hand-tuning works. Early perceptrons were tuned this way, but with 100 inputs "
             "there are 100 weights to adjust, and each one changes what the others should be. The rule does "
             "it in a few passes over the data; blind fiddling practically never does (--verify measures it).",
             READ_ONLY),
    ),
    claims=(
        lambda: learns_gate("and"),
        lambda: learns_gate("or"),
        hand_set_weights,
        rule_beats_guessing,
    ),
    setup={"model": "perceptron", "dataset": "gates:and", "gates": ["and", "or"], "lr": 0.1, "seed": 0},
    panes=("truth_table", "output", "parameters"),
    keys={"tab": "select_parameter", "+": "raise_parameter", "-": "lower_parameter", "g": "next_gate",
          "r": "reset_weights", "space": "play_pause", "s": "step_epoch"},
)
