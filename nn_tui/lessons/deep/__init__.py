"""Lesson: a deep stack. Eight sigmoid layers barely train; ReLU with He
initialisation does; batch normalisation gets there faster.

The runs: the circle, eight hidden layers of 8 units, SGD at 0.1, batches of 32. The
claims train them headlessly on seeds 0-2.

Measured (seeds 0, 1, 2): at the start the sigmoid stack's first-layer weight gradient
is 1/269,000, 1/242,000, 1/79,000 of its output layer's (1.0e-6 against 0.28), and
after 100 epochs its test accuracy is 0.50 on every seed (a coin toss). With ReLU and
He initialisation the last layer's gradient is 5.4, 3.1, 0.94 times the first's, and
the test accuracy ends at 1.00 on all three. With batch norm after every hidden layer
it first reaches that accuracy at epoch 20, 13, 7 (the plain ReLU run at 34, 12, 16):
at most 0.2 of the 100 epochs. (Seed 1 shows batch norm is not always first.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from nn_tui.data import make_toy
from nn_tui.engine import Network, make_optimizer
from nn_tui.lessons.headless import accuracy, head_for, train
from nn_tui.lessons.lesson import READ_ONLY, ClaimResult, Lesson, Step, at_least, equals

STACK = {"dataset": "circle", "layers": (8,) * 8, "optimizer": "sgd", "lr": 0.1, "batch_size": 32}
RUNS = {  # name -> (its changes, switch key, label)
    "sigmoid": ({"activation": "sigmoid", "init": "xavier"}, "1", "sigmoid"),
    "relu": ({"activation": "relu", "init": "he"}, "2", "ReLU + He"),
    "batchnorm": ({"activation": "relu", "init": "he", "batchnorm": True}, "3", "ReLU + He + BN"),
}
EPOCHS = 100
SEEDS = (0, 1, 2)
VANISHED = 100.0  # the sigmoid stack's first-layer gradient is at least this many times smaller than the last's
STUCK = 0.6  # ... and its test accuracy stays below this (a coin toss is 0.5)
TRAINS = 0.95  # ReLU's test accuracy ends at least here
FASTER = 0.5  # batch norm reaches plain ReLU's final accuracy within this share of the epochs
GOAL = 0.95  # on screen: train until this test accuracy


def build(run: str, seed: int):
    changes = RUNS[run][0]
    data = make_toy(STACK["dataset"], seed=seed)
    output, loss = head_for(data.task, data.n_outputs)
    net = Network.mlp(data.X_train.shape[1], list(STACK["layers"]), data.n_outputs, activation=changes["activation"],
                      output=output, loss=loss, seed=seed, init=changes["init"],
                      batchnorm=changes.get("batchnorm", False))
    return data, net


def gradient_norms(run: str, seed: int = 0) -> list[float]:
    """‖dL/dW‖ of each weight layer, first to last, on the training set before any step."""
    data, net = build(run, seed)
    with net.evaluating():
        net.loss_and_grads(data.X_train, data.y_train)
    return [float(np.linalg.norm(layer.grads["W"])) for layer in net.layers if "W" in layer.params]


@lru_cache(maxsize=16)
def accuracies(run: str, seed: int = 0, epochs: int = EPOCHS) -> np.ndarray:
    """Test accuracy after each epoch."""
    data, net = build(run, seed)
    found = []

    def after_epoch(epoch, net):
        with net.evaluating():
            found.append(accuracy(net, data.X_test, data.y_test))

    train(net, make_optimizer(STACK["optimizer"], lr=STACK["lr"]), data.X_train, data.y_train, epochs,
          batch_size=STACK["batch_size"], seed=seed, on_epoch=after_epoch)
    return np.array(found)


def first_epoch_at(accuracy_curve: np.ndarray, level: float) -> int | None:
    reached = np.flatnonzero(accuracy_curve >= level)
    return int(reached[0]) + 1 if len(reached) else None


def sigmoid_gradients_vanish(seeds=SEEDS, run="sigmoid"):
    value, holds = {}, True
    for seed in seeds:
        norms = gradient_norms(run, seed)
        value[f"seed_{seed}"] = {"first_layer": norms[0], "last_layer": norms[-1], "ratio": norms[-1] / norms[0]}
        holds &= bool(norms[-1] >= VANISHED * norms[0])
    return ClaimResult(f"at the start, the 8-layer sigmoid stack's first-layer weight gradient is at least "
                       f"{VANISHED:g}× smaller than its output layer's (seeds {', '.join(map(str, seeds))})",
                       value, holds)


def sigmoid_stack_barely_trains(seeds=SEEDS):
    value = {f"seed_{seed}": float(accuracies("sigmoid", seed)[-1]) for seed in seeds}
    return ClaimResult(f"after {EPOCHS} epochs the sigmoid stack's test accuracy is still below {STUCK:g} "
                       f"(a coin toss is 0.5)", value, all(a < STUCK for a in value.values()))


def relu_he_trains(seeds=SEEDS):
    value = {}
    for seed in seeds:
        norms = gradient_norms("relu", seed)
        value[f"seed_{seed}"] = {"final_accuracy": float(accuracies("relu", seed)[-1]),
                                 "gradient_ratio_last_to_first": norms[-1] / norms[0]}
    return ClaimResult(f"with ReLU and He initialisation the same stack trains: test accuracy at least {TRAINS:g} "
                       f"after {EPOCHS} epochs", value,
                       all(v["final_accuracy"] >= TRAINS for v in value.values()))


def batchnorm_trains_faster(seeds=SEEDS, faster=FASTER):
    value, holds = {}, True
    for seed in seeds:
        plain = accuracies("relu", seed)
        normed = accuracies("batchnorm", seed)
        reached = first_epoch_at(normed, plain[-1])
        value[f"seed_{seed}"] = {"relu_final_accuracy": float(plain[-1]), "batchnorm_reaches_it_at": reached,
                                 "relu_reaches_it_at": first_epoch_at(plain, plain[-1])}
        holds &= reached is not None and reached <= faster * EPOCHS
    return ClaimResult(f"with batch norm it reaches the plain ReLU stack's final test accuracy within "
                       f"{faster * EPOCHS:g} of the {EPOCHS} epochs", value, holds)


@dataclass
class RunsSeen:
    """The lesson screen's own: each run's latest (epoch, test accuracy) and the first
    epoch it reached GOAL, kept UI-side from snapshots."""

    rows: dict[str, tuple[int, float]] = field(default_factory=dict)
    reached: dict[str, int] = field(default_factory=dict)


def _run_entry(name: str) -> dict:
    changes, key, label = RUNS[name]
    return {**STACK, **changes, "layers": list(STACK["layers"]), "seed": 0, "key": key, "label": label}


LESSON = Lesson(
    name="deep",
    title="Deep stacks: vanishing gradients, ReLU and batch norm",
    summary="Eight sigmoid layers barely train; ReLU with He initialisation does; batch norm trains faster still.",
    steps=(
        Step("Eight hidden layers of 8 sigmoid units each, on the circle. Press Space and train 30 epochs: the test "
             "accuracy stays at 50 %, a coin toss. The layers pane shows each layer's outputs over time and, on the "
             "right, the size of the gradient of the weights feeding it.",
             equals("run", "sigmoid") & at_least("epoch", 30), keys=("space",)),
        Step("Read the gradient sizes (a log scale): the output layer's is around 0.1, the first layer's around "
             "0.000001. Backpropagation multiplies the gradient by each layer's slope on its way back, and a sigmoid's "
             "slope is at most 1/4: after eight layers almost nothing is left. This is the vanishing gradient: the "
             "first layers hardly move, and the later ones learn from features that do not change.",
             READ_ONLY, keys=("enter",)),
        Step("Press 2 for the same stack with ReLU units and He initialisation (weights drawn with variance 2/n, so "
             "a signal keeps its size from layer to layer), then Space. Its gradients are of one size in every "
             f"layer, and it learns the circle: train to {GOAL:.0%} test accuracy.",
             equals("run", "relu") & at_least("test_accuracy", GOAL), keys=("2", "space")),
        Step("Press 3 for batch normalisation after every hidden layer, then Space: each unit's outputs are "
             "rescaled over the batch to mean 0 and variance 1, then shifted and scaled by two numbers it learns, "
             f"so no layer's inputs drift far while the layers below change. Train to {GOAL:.0%} again and compare "
             "the epochs in the table.",
             equals("run", "batchnorm") & at_least("test_accuracy", GOAL), keys=("3", "space")),
        Step("Depth needs gradients that survive the way back: units that do not saturate (ReLU), weights scaled for "
             "them (He), and normalised layers. Press 1 to see the sigmoid stack again, or Enter to finish.",
             READ_ONLY, keys=("1", "enter")),
    ),
    claims=(sigmoid_gradients_vanish, sigmoid_stack_barely_trains, relu_he_trains, batchnorm_trains_faster),
    setup={"runs": {name: _run_entry(name) for name in RUNS}, "start": "sigmoid"},
    panes=("layers", "loss", "runs_table"),
    small_screen_leaves_out=("loss",),  # 24 rows: the layers and the table (the status line has the losses)
    keys={"space": "play_pause", "s": "step_epoch", "r": "reset_weights", "enter": "next_step"},
    make_state=RunsSeen,
    screen="nn_tui.lessons.deep.screen",
)
