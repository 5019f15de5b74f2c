"""Lesson 3: backpropagation, one sample, every number.

``walkthrough`` computes one training step of a 2-2-1 sigmoid network by hand,
in plain Python floats, one named quantity at a time; the lesson steps through
its phases. The claim checks each number against the engine.

Progress names its steps read: "phase" (how many of the seven phases are
shown, 0-7) and "train_accuracy".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nn_tui.engine import ACTIVATIONS, Dense, Network, make_optimizer
from nn_tui.lessons.gates import INPUTS, TRUTH_TABLES, rows_right
from nn_tui.lessons.headless import train
from nn_tui.lessons.lesson import ClaimResult, Lesson, Step, at_least

# Small round numbers, so that a reader can follow them with a pencil.
HIDDEN_WEIGHTS = ((0.5, -0.4), (0.3, 0.8))  # HIDDEN_WEIGHTS[i][j]: input i -> hidden unit j
HIDDEN_BIASES = (0.1, -0.2)
OUTPUT_WEIGHTS = (0.7, -0.6)  # hidden unit j -> the output
OUTPUT_BIAS = 0.05
SAMPLE = (1.0, 0.0)  # one row of XOR ...
TARGET = 1.0  # ... whose answer is 1
LEARNING_RATE = 0.5
TOLERANCE = 1e-12


@dataclass(frozen=True)
class Phase:
    name: str
    text: str
    values: dict  # quantity name -> float, in the order they are computed


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def walkthrough(x=SAMPLE, target=TARGET, W=HIDDEN_WEIGHTS, b=HIDDEN_BIASES, v=OUTPUT_WEIGHTS,
                c=OUTPUT_BIAS, lr=LEARNING_RATE):
    """One step of gradient descent on E = ½(ŷ − y)², as a list of Phases."""
    n_in, n_hidden = len(x), len(b)
    phases = []

    # Forward: each hidden unit sums its weighted inputs, then squeezes the sum.
    z = [sum(x[i] * W[i][j] for i in range(n_in)) + b[j] for j in range(n_hidden)]
    h = [sigmoid(z[j]) for j in range(n_hidden)]
    phases.append(Phase("forward: hidden layer", "z_j = Σ_i x_i·w_ij + b_j, then h_j = σ(z_j)",
                        {**{f"z{j + 1}": z[j] for j in range(n_hidden)},
                         **{f"h{j + 1}": h[j] for j in range(n_hidden)}}))
    z_out = sum(h[j] * v[j] for j in range(n_hidden)) + c
    y_hat = sigmoid(z_out)
    phases.append(Phase("forward: output", "z = Σ_j h_j·v_j + c, then ŷ = σ(z)", {"z": z_out, "y_hat": y_hat}))

    # The error and how it changes with the output.
    error = 0.5 * (y_hat - target) ** 2
    phases.append(Phase("error at the output", "E = ½(ŷ − y)², dE/dŷ = ŷ − y",
                        {"E": error, "dE/dy_hat": y_hat - target}))

    # Deltas: dE/dz for each unit, from the output back. σ'(z) = σ(z)·(1 − σ(z)).
    delta_out = (y_hat - target) * y_hat * (1.0 - y_hat)
    phases.append(Phase("output delta", "δ = (ŷ − y)·ŷ·(1 − ŷ)", {"delta": delta_out}))
    delta = [delta_out * v[j] * h[j] * (1.0 - h[j]) for j in range(n_hidden)]
    phases.append(Phase("hidden deltas", "δ_j = δ·v_j·h_j·(1 − h_j): the output's delta, sent back along v_j",
                        {f"delta{j + 1}": delta[j] for j in range(n_hidden)}))

    # Gradients: a weight's gradient is its input times the delta of the unit it feeds.
    grads = {}
    for i in range(n_in):
        for j in range(n_hidden):
            grads[f"dE/dw{i + 1}{j + 1}"] = x[i] * delta[j]
    for j in range(n_hidden):
        grads[f"dE/db{j + 1}"] = delta[j]
    for j in range(n_hidden):
        grads[f"dE/dv{j + 1}"] = h[j] * delta_out
    grads["dE/dc"] = delta_out
    phases.append(Phase("gradients", "dE/dw_ij = x_i·δ_j, dE/db_j = δ_j, dE/dv_j = h_j·δ, dE/dc = δ", grads))

    # The update: every weight takes a step against its gradient.
    updated = {}
    for i in range(n_in):
        for j in range(n_hidden):
            updated[f"w{i + 1}{j + 1}"] = W[i][j] - lr * grads[f"dE/dw{i + 1}{j + 1}"]
    for j in range(n_hidden):
        updated[f"b{j + 1}"] = b[j] - lr * grads[f"dE/db{j + 1}"]
    for j in range(n_hidden):
        updated[f"v{j + 1}"] = v[j] - lr * grads[f"dE/dv{j + 1}"]
    updated["c"] = c - lr * grads["dE/dc"]
    phases.append(Phase("update", f"w ← w − {lr:g}·dE/dw, for every weight and bias", updated))
    return phases


def lesson_network():
    """The same network in the engine: 2-2-1, sigmoid everywhere, ½-squared error."""
    hidden = Dense(2, 2, "sigmoid")
    output = Dense(2, 1, "sigmoid")
    net = Network([hidden, output], "mse")
    hidden.params["W"] = np.array(HIDDEN_WEIGHTS)
    hidden.params["b"] = np.array(HIDDEN_BIASES)
    output.params["W"] = np.array(OUTPUT_WEIGHTS).reshape(2, 1)
    output.params["b"] = np.array([OUTPUT_BIAS])
    return net


def engine_numbers():
    """What the engine computes for the same step, under the walkthrough's names."""
    net = lesson_network()
    x, y = np.array([SAMPLE]), np.array([[TARGET]])
    hidden_out, output_out = net.layer_outputs(x)
    numbers = {"h1": hidden_out[0, 0], "h2": hidden_out[0, 1], "y_hat": output_out[0, 0]}
    loss, grads = net.loss_and_grads(x, y)
    numbers["E"] = loss
    (gW, gb), (gv, gc) = (grads[0]["W"], grads[0]["b"]), (grads[1]["W"], grads[1]["b"])
    for i in range(2):
        for j in range(2):
            numbers[f"dE/dw{i + 1}{j + 1}"] = gW[i, j]
    for j in range(2):
        numbers[f"dE/db{j + 1}"] = gb[j]
        numbers[f"dE/dv{j + 1}"] = gv[j, 0]
    numbers["dE/dc"] = gc[0]
    make_optimizer("sgd", lr=LEARNING_RATE).step(net)
    W, b = net.layers[0].params["W"], net.layers[0].params["b"]
    v, c = net.layers[1].params["W"], net.layers[1].params["b"]
    for i in range(2):
        for j in range(2):
            numbers[f"w{i + 1}{j + 1}"] = W[i, j]
    for j in range(2):
        numbers[f"b{j + 1}"] = b[j]
        numbers[f"v{j + 1}"] = v[j, 0]
    numbers["c"] = c[0]
    return {name: float(value) for name, value in numbers.items()}


def matches_engine(steps=walkthrough):
    by_hand = {name: value for phase in steps() for name, value in phase.values.items()}
    engine = engine_numbers()
    compared = sorted(set(by_hand) & set(engine))
    worst = max(abs(by_hand[name] - engine[name]) for name in compared)
    return ClaimResult(f"the hand-worked step (forward values, error, every gradient, every updated weight: "
                       f"{len(compared)} numbers) equals the engine's to {TOLERANCE:g} (largest difference)",
                       worst, len(compared) == len(engine) and worst <= TOLERANCE)


def gradients_are_slopes(eps=1e-6, tolerance=1e-8):
    """The gradients are what they claim to be: how fast E changes when one
    parameter moves (central differences, float64)."""
    net = lesson_network()
    x, y = np.array([SAMPLE]), np.array([[TARGET]])
    net.loss_and_grads(x, y)
    analytic = net.flat_grads.copy()
    numeric = np.empty_like(analytic)
    for k in range(net.n_params):
        saved = net.flat_params[k]
        net.flat_params[k] = saved + eps
        above = net.loss(x, y)
        net.flat_params[k] = saved - eps
        below = net.loss(x, y)
        net.flat_params[k] = saved
        numeric[k] = (above - below) / (2 * eps)
    worst = float(np.max(np.abs(analytic - numeric)))
    return ClaimResult(f"each gradient matches the slope measured by nudging its weight ±{eps:g} "
                       f"(largest difference, tolerance {tolerance:g})", worst, worst <= tolerance)


def training_solves_xor(epochs=1500, lr=LEARNING_RATE):
    """The step, repeated on all four rows (one at a time, shuffled each epoch)."""
    net = lesson_network()
    targets = TRUTH_TABLES["xor"][:, None]
    start = net.loss(INPUTS, targets)
    train(net, make_optimizer("sgd", lr=lr), INPUTS, targets, epochs, batch_size=1, seed=0)
    value = {"rows_right": rows_right(net, "xor"), "error_before": start, "error_after": net.loss(INPUTS, targets)}
    return ClaimResult(f"repeated on the four XOR rows (SGD, lr {lr:g}, one row at a time), these steps get all four "
                       f"right within {epochs} epochs", value, value["rows_right"] == 4)


def xor_rows(view) -> list[tuple[int, int, int, float]] | None:
    """(x1, x2, XOR's answer, the network's output ŷ) for the four rows, from the weights
    the snapshot shows (a forward pass of the 2-2-1 network, as the perceptron lesson's
    truth table does): what step 6's "until all four rows are right" is about. None for
    a view of another network (the run the lesson was opened from, before its own arrives)."""
    if [np.shape(weights) for weights in view.weights] != [(2, 2), (2, 1)]:
        return None
    signal = INPUTS
    for layer, (weights, biases) in enumerate(zip(view.weights, view.biases)):
        last = layer == len(view.weights) - 1
        activation = ACTIVATIONS[view.output_activation if last else view.activation]
        signal = activation.forward(signal @ np.asarray(weights, float) + np.asarray(biases, float))
    return [(int(x1), int(x2), int(want), float(out))
            for (x1, x2), want, out in zip(INPUTS, TRUTH_TABLES["xor"], signal[:, 0])]


def row_is_right(want: int, output: float) -> bool:
    """As the training's accuracy reads a sigmoid output: ŷ ≥ 0.5 is a 1."""
    return (output >= 0.5) == (want >= 0.5)


PHASES = tuple(phase.name for phase in walkthrough())


@dataclass
class WalkState:
    """The lesson screen's own: how many of the walkthrough's phases are shown."""

    phase: int = 0

LESSON = Lesson(
    name="backprop",
    title="Backpropagation: one sample, every number",
    summary="One XOR row through a 2-2-1 network: forward values, the error, each delta, each weight's update.",
    steps=(
        Step("Backpropagation (Rumelhart, Hinton and Williams, 1986) trains every weight of a layered network "
             "from the error at its output. Here is a network small enough to read: 2 inputs, 2 hidden sigmoid "
             "units, 1 output, and one sample, x = (1, 0) with target 1. → shows the next phase, ← the one "
             "before. Press → twice for the forward pass: the hidden layer, then the output.",
             at_least("phase", 2), keys=("right",)),
        Step("Each unit added up its weighted inputs (z) and squeezed the sum with the sigmoid (h, ŷ). Press → "
             "for the error: E = ½(ŷ − y)².",
             at_least("phase", 3), keys=("right", "left")),
        Step("Now backwards. Press → for the output's delta, δ = dE/dz: how much the error changes when the "
             "output's sum changes. It is the error's slope times the sigmoid's slope, ŷ(1 − ŷ).",
             at_least("phase", 4), keys=("right", "left")),
        Step("Press → to send δ back: each hidden unit's delta is δ times the weight that carried its signal, "
             "times its own sigmoid slope. That is the chain rule, one unit at a time.",
             at_least("phase", 5), keys=("right", "left")),
        Step("Press → for the gradients: each weight's is the input it carried times the delta of the unit it "
             "feeds (x2 = 0 here, so x2's weights get no gradient and do not move). Then → once more for the "
             "update, w ← w − 0.5·dE/dw.",
             at_least("phase", 7), keys=("right", "left")),
        Step("That was one step on one sample. Press Space to do it over and over on all four rows of XOR: "
             "that is training. The error first sits near 0.125 for a few hundred epochs (every output close "
             "to 0.5), then falls as the two hidden units take different jobs, until all four rows are right.",
             at_least("train_accuracy", 1.0), keys=("space",)),
    ),
    claims=(matches_engine, gradients_are_slopes, training_solves_xor),
    setup={"dataset": "gates:xor", "layers": [2], "activation": "sigmoid", "output": "sigmoid", "loss": "mse",
           "optimizer": "sgd", "lr": LEARNING_RATE, "batch_size": 1, "weights": "backprop.lesson_network",
           "pace": 50},  # ~760 epochs to solve XOR: the 0.125 plateau lasts seconds, the climb is seen
    panes=("xor_rows", "topology", "numbers", "loss"),
    left_panes=("xor_rows",),  # under the steps, at every size: step 6's "all four rows right"
    # Small screens: the numbers need the rows; the loss is in the status line.
    small_screen_leaves_out=("topology", "neuron", "loss"),
    keys={"space": "play_pause", "s": "step_epoch"},  # and its own: → and ← through the phases
    values={"phase": lambda snapshot, state: state.own.phase},
    make_state=WalkState,
    screen="nn_tui.lessons.backprop.screen",
)
