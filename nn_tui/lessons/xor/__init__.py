"""Lesson 2: XOR. No line does it; one hidden layer does; a small one can get stuck."""

from __future__ import annotations

from nn_tui.data import make_toy
from nn_tui.engine import Network, make_optimizer
from nn_tui.lessons.gates import INPUTS, TRUTH_TABLES, rows_right, train_perceptron
from nn_tui.lessons.headless import accuracy, fit, train
from nn_tui.lessons.lesson import (
    READ_ONLY, ClaimResult, Lesson, Step, at_least, at_most, epochs_trained, equals,
)
from nn_tui.session import next_seed

PERCEPTRON_EPOCHS = 100
# The plane runs: the Playground's XOR set, ReLU units, Adam (settles in ~150 epochs).
PLANE = {"dataset": "xor", "activation": "relu", "optimizer": "adam", "lr": 0.03, "batch_size": 10}
SOLVED_UNITS, SOLVED_EPOCHS = 4, 150
# Three units are enough for XOR, but from this seed they settle with one quadrant wrong
# (on data seed 0, as every claim here); r's next seed, 70, gets out in ~20 epochs.
STUCK_UNITS, STUCK_SEED = 3, 69
STUCK_FROM, STUCK_UNTIL = 200, 400


def perceptron_fails(epochs=PERCEPTRON_EPOCHS, seed=0, gate="xor"):
    """No straight line puts (0,1), (1,0) on one side and (0,0), (1,1) on the
    other, so after any epoch at most 3 of the 4 rows are right."""
    _, mistakes, right = train_perceptron(gate, epochs, seed=seed)
    best = max(right) / 4
    return [
        ClaimResult(f"the perceptron stays at or below 75 % on {gate.upper()} (best after any of {epochs} epochs)",
                    best, best <= 0.75),
        ClaimResult(f"its learning rule never settles on {gate.upper()}: every one of {epochs} epochs has a "
                    f"mistake (fewest mistakes in an epoch)", min(mistakes),
                    min(mistakes) >= 1 and len(mistakes) == epochs),
    ]


def hidden_layer_solves_truth_table(units=4, epochs=500, lr=0.5, seed=0):
    net = Network.mlp(2, hidden=[units], n_out=1, activation="tanh", seed=seed)
    train(net, make_optimizer("sgd", lr=lr), INPUTS, TRUTH_TABLES["xor"][:, None], epochs,
          batch_size=4, seed=seed)
    value = rows_right(net, "xor") / 4
    return ClaimResult(f"one hidden layer ({units} tanh units) trained by backpropagation reaches 100 % "
                       f"on the XOR truth table", value, value == 1.0)


def _plane_run(units, seed, epochs, on_epoch=None):
    data = make_toy(PLANE["dataset"])
    net = fit(data, [units], activation=PLANE["activation"], optimizer=PLANE["optimizer"], lr=PLANE["lr"],
              batch_size=PLANE["batch_size"], epochs=epochs, seed=seed, on_epoch=on_epoch)
    return data, net


def hidden_layer_solves_plane(units=SOLVED_UNITS, epochs=SOLVED_EPOCHS, seed=0):
    data, net = _plane_run(units, seed, epochs)
    value = accuracy(net, data.X_test, data.y_test)
    return ClaimResult(f"on the XOR plane, one hidden layer of {units} ReLU units reaches >= 99 % test "
                       f"accuracy in {epochs} epochs", value, value >= 0.99)


def quadrant_accuracy(net, X, Y):
    """Share of test points right in each quadrant (x1 < 0 or > 0, x2 < 0 or > 0)."""
    quadrant = (X[:, 0] > 0) * 2 + (X[:, 1] > 0)
    right = (net.forward(X)[:, 0] >= 0.5) == (Y[:, 0] >= 0.5)
    return [float(right[quadrant == q].mean()) for q in range(4)]


def small_net_gets_stuck(units=STUCK_UNITS, seed=STUCK_SEED, start=STUCK_FROM, until=STUCK_UNTIL):
    losses = {}

    def record(epoch, net):
        if epoch in (start, until):
            losses[epoch] = net.loss(data.X_train, data.y_train)

    data = make_toy(PLANE["dataset"])
    _, net = _plane_run(units, seed, until, on_epoch=record)
    quadrants = quadrant_accuracy(net, data.X_test, data.y_test)
    n_right = sum(q >= 0.95 for q in quadrants)
    n_wrong = sum(q <= 0.05 for q in quadrants)
    fall = (losses[start] - losses[until]) / losses[start]
    value = {"quadrants_right": n_right, "quadrants_wrong": n_wrong, "loss_fall": fall,
             "test_accuracy": accuracy(net, data.X_test, data.y_test)}
    return ClaimResult(f"a {units}-unit network (seed {seed}) stalls as in a local minimum: three quadrants "
                       f"right, one wrong, and from epoch {start} to {until} its loss falls by under 1 %",
                       value, n_right == 3 and n_wrong == 1 and fall < 0.01)


def what_to_try(units=STUCK_UNITS, stuck_seed=STUCK_SEED, other_seed=next_seed(STUCK_SEED),
                epochs=SOLVED_EPOCHS):
    """The stuck run's advice, as the keys give it: r draws the next weight seed (on the
    same data, data seed 0, as every claim here), n adds a unit."""
    data, other_start = _plane_run(units, other_seed, epochs)
    _, one_more_unit = _plane_run(units + 1, stuck_seed, epochs)
    value = {"new_weights": accuracy(other_start, data.X_test, data.y_test),
             "one_more_unit": accuracy(one_more_unit, data.X_test, data.y_test)}
    return ClaimResult(f"what gets it out: new starting weights (r: seed {other_seed}) or a fourth unit each reach "
                       f">= 99 % in {epochs} epochs", value, min(value.values()) >= 0.99)


LESSON = Lesson(
    name="xor",
    title="XOR: why one perceptron is not enough, and what a hidden layer does",
    summary="A single perceptron never settles on XOR; one hidden layer trained by backpropagation solves it.",
    steps=(
        Step("XOR is 1 when exactly one input is 1. Press Space to train the perceptron on it and watch its "
             "mistakes per epoch: they never reach zero. No straight line puts (0,1) and (1,0) on one side "
             "and (0,0) and (1,1) on the other, so at best 3 of the 4 rows are right (and the rule, pushed to and fro, "
             "often holds only 2). Minsky and Papert made "
             "this point in 1969, and interest in neural networks faded for about a decade.",
             equals("kind", "perceptron") & epochs_trained(20), keys=("space",)),
        Step("Layers of perceptrons could do it, but nobody knew how to set all their weights, until "
             "backpropagation (1986, next lesson). Press m for a network with one hidden layer, then Space.",
             equals("kind", "mlp") & at_least("test_accuracy", 0.99), keys=("m", "space")),
        Step("Look at the hidden neurons' maps: each unit splits the plane along one line; the output unit adds "
             "their verdicts up, which no single line could do. Press Enter to go on.",
             READ_ONLY, keys=("enter",)),
        Step("Press x for a smaller network: 3 units from a starting point that goes wrong. Train it: it settles "
             "with three quadrants right and one wrong, and the loss stops falling. It is stuck in a local "
             "minimum, or on ground so flat that it might as well be one: the gradient is close to zero "
             "there, so gradient descent hardly moves.",
             equals("kind", "mlp") & at_most("test_accuracy", 0.85) & epochs_trained(100),
             keys=("x", "space")),
        Step("What to try: r for new starting weights, n to add a unit, or a larger learning rate (+). "
             "Get the test accuracy above 99 %.",
             at_least("test_accuracy", 0.99), keys=("r", "n", "+", "space")),
    ),
    claims=(perceptron_fails, hidden_layer_solves_truth_table, hidden_layer_solves_plane,
            small_net_gets_stuck, what_to_try),
    # Three runs the keys switch between: m for the network, x for the stuck one.
    setup={"runs": {
        "perceptron": {"model": "perceptron", "dataset": "gates:xor", "lr": 0.1, "seed": 0,
                       "pace": 4},  # epochs a second: its mistakes per epoch can be read
        "network": {"model": "mlp", "layers": [SOLVED_UNITS], **PLANE, "seed": 0,
                    "pace": 4,  # 99 % in ~5 epochs: seen, not a blur
                    "key": "m", "label": "network with a hidden layer"},
        "stuck": {"model": "mlp", "layers": [STUCK_UNITS], **PLANE, "seed": STUCK_SEED, "data_seed": 0,
                  "pace": 10,  # step 4's 100 epochs in ten seconds
                  "key": "x", "label": "the stuck network"},
    }, "start": "perceptron"},
    panes=("topology", "output", "loss", "mistakes", "hidden_maps"),
    left_panes=("mistakes", "hidden_maps"),
    small_screen_only=("hidden_maps",),  # 24 rows: the network picture's boxes are 2x1 cells there
    keys={"space": "play_pause", "s": "step_epoch", "r": "reset_weights", "n": "add_neuron", "+": "lr_up",
          "-": "lr_down", "enter": "next_step"},
    screen="nn_tui.lessons.xor.screen",
)
