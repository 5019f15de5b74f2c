"""Lesson: overfitting. A wide network memorises a few noisy points; five remedies.

The overfit run: XOR at the Playground's noise 50 % and train ratio 10 % (50 training
points), two hidden layers of 64 tanh units (4,417 parameters), Adam. Its training loss
heads for 0 while its test loss, after a short fall, climbs. Each remedy is the same run
with one thing changed: five times the data, L2, dropout, early stopping, a smaller
network. The claims train every run headlessly on seeds 0-2.

Measured (seeds 0, 1, 2; 200 epochs): the overfit run ends at training loss 0.067,
0.092, 0.006 and test loss 1.14, 0.84, 0.88, that is 2.5, 2.3, 2.3 times its own
minimum (0.45 at epoch 10, 0.36 at 18, 0.39 at 26). The remedies' final test losses:
more data 0.61, 0.51, 0.64; L2 0.55, 0.46, 0.49; dropout 0.60, 0.48, 0.58; early
stopping 0.52, 0.46, 0.47 (stopped at epochs 39, 30, 38); smaller 0.53, 0.48, 0.44
(at most 0.73 of the overfit run's, seed by seed), and their gaps (test − train loss)
at most 0.54 of the overfit run's (0.75-1.07).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from nn_tui.data import make_toy
from nn_tui.early_stopping import EarlyStopping, validation_split
from nn_tui.engine import Network, make_optimizer
from nn_tui.lessons.headless import head_for, train
from nn_tui.lessons.lesson import READ_ONLY, ClaimResult, Lesson, Step, at_least, equals
from nn_tui.settings import VALIDATION_SHARE

OVERFIT = {"dataset": "xor", "noise": 0.5, "train_ratio": 0.1, "layers": (64, 64), "activation": "tanh",
           "optimizer": "adam", "lr": 0.01, "batch_size": 10}
EPOCHS = 200
# Each remedy: what it changes in the overfit run, its switch key, its label.
REMEDIES = {
    "more_data": ({"train_ratio": 0.5}, "2", "5× the data"),
    "l2": ({"reg": "l2", "reg_rate": 0.01}, "3", "L2 0.01"),
    "dropout": ({"dropout": 0.5}, "4", "dropout 0.5"),
    "early_stopping": ({"early_stop": 20}, "5", "early stop 20"),
    "smaller": ({"layers": (4,)}, "6", "4 units"),
}
SEEDS = (0, 1, 2)
TURN = 1.5  # the overfit run's final test loss is at least this many times its minimum
NEAR_ZERO = 0.15  # ... while its training loss ends below this
BETTER = 0.8  # a remedy's final test loss is at most this share of the overfit run's ...
NARROWER = 0.6  # ... and its gap (test − train loss) at most this share of the overfit run's
MARKED_BY = 100  # step 1 goes on to here, so the gap is plain to see
PACE = 20  # epochs a second on screen: a run's 200 epochs in ten seconds


@lru_cache(maxsize=32)
def losses(seed: int = 0, remedy: str | None = None, epochs: int = EPOCHS):
    """(training losses, test losses) after each epoch of the overfit run, or of a remedy.
    Early stopping holds out a fifth of the training points (as the app does), stops when
    their loss has not improved for its patience, and ends on the best epoch's weights."""
    settings = {**OVERFIT, **(REMEDIES[remedy][0] if remedy else {})}
    data = make_toy(settings["dataset"], noise=settings["noise"], train_ratio=settings["train_ratio"], seed=seed)
    output, loss = head_for(data.task, data.n_outputs)
    net = Network.mlp(data.X_train.shape[1], list(settings["layers"]), data.n_outputs,
                      activation=settings["activation"], output=output, loss=loss, seed=seed,
                      dropout=settings.get("dropout", 0.0))
    X, Y = data.X_train, data.y_train
    stopping = None
    if settings.get("early_stop"):
        rows, held = validation_split(len(X), VALIDATION_SHARE, seed)
        (X_val, Y_val), X, Y = (X[held], Y[held]), X[rows], Y[rows]
        stopping = EarlyStopping(settings["early_stop"])
    train_losses, test_losses = [], []

    def after_epoch(epoch, net):
        with net.evaluating():  # dropout off for measuring
            stop = stopping is not None and stopping.after_epoch(epoch, net.loss(X_val, Y_val), net)
            train_losses.append(net.loss(X, Y))
            test_losses.append(net.loss(data.X_test, data.y_test))
        return stop

    optimizer = make_optimizer(settings["optimizer"], lr=settings["lr"], reg=settings.get("reg", "none"),
                               reg_rate=settings.get("reg_rate", 0.0))
    train(net, optimizer, X, Y, epochs, batch_size=settings["batch_size"], seed=seed, on_epoch=after_epoch)
    return np.array(train_losses), np.array(test_losses)


def overfit_run_turns(seeds=SEEDS, run=None):
    value, holds = {}, True
    for seed in seeds:
        train_loss, test_loss = losses(seed, run)
        low = int(np.argmin(test_loss))
        value[f"seed_{seed}"] = {"final_train_loss": train_loss[-1], "lowest_test_loss": test_loss[low],
                                 "lowest_at_epoch": low + 1, "final_test_loss": test_loss[-1]}
        holds &= bool(train_loss[-1] < NEAR_ZERO and test_loss[-1] >= TURN * test_loss[low])
    return ClaimResult(f"on 50 noisy XOR points the wide network's training loss ends below {NEAR_ZERO:g} while "
                       f"its test loss turns up: it ends at least {TURN:g}× its own minimum (seeds "
                       f"{', '.join(map(str, seeds))})", value, holds)


def remedy_closes_the_gap(remedy: str, seeds=SEEDS):
    label = REMEDIES[remedy][2]
    value, holds = {}, True
    for seed in seeds:
        over_train, over_test = losses(seed)
        train_loss, test_loss = losses(seed, remedy)
        gap, over_gap = test_loss[-1] - train_loss[-1], over_test[-1] - over_train[-1]
        value[f"seed_{seed}"] = {"final_test_loss": test_loss[-1], "overfit_final_test_loss": over_test[-1],
                                 "gap": gap, "overfit_gap": over_gap, "epochs": len(test_loss)}
        holds &= bool(test_loss[-1] <= BETTER * over_test[-1] and gap <= NARROWER * over_gap)
    return ClaimResult(f"{label}: the final test loss is at most {BETTER:g}× the overfit run's and the gap "
                       f"between test and training loss at most {NARROWER:g}× its gap (seeds "
                       f"{', '.join(map(str, seeds))})", value, holds)


def _remedy_claim(remedy: str):
    def claim():
        return remedy_closes_the_gap(remedy)
    claim.__name__ = f"{remedy}_closes_the_gap"
    return claim


# ------------------------------------------------------------------ the screen's values
@dataclass
class RunsTable:
    """The lesson screen's own: each run's latest (epoch, train loss, test loss), kept UI-side."""

    rows: dict[str, tuple[int, float, float]] = field(default_factory=dict)


def _run_entry(name: str, changes: dict, key: str, label: str) -> dict:
    entry = {**OVERFIT, **changes, "layers": list(changes.get("layers", OVERFIT["layers"])), "seed": 0,
             "pace": PACE, "key": key, "label": label}
    return entry


STEPS = (
    Step("A wide network, two hidden layers of 64 units (4,417 parameters), and only 50 training points: XOR "
         "with the Playground's noise at 50 % and train ratio 10 %, so many points sit on the wrong side. Press "
         "Space and watch the two loss curves until the status line says \"overfitting since epoch N\".",
         equals("run", "overfit") & at_least("overfit_marked", 1) & at_least("epoch", MARKED_BY),
         keys=("space",)),
    Step("The training loss heads for 0 while the test loss, after a short fall, climbs: the network has "
         "memorised its 50 points, noise and all, instead of the pattern they share. The plot marks the epoch "
         "the test loss turned. The gap between the curves is what it learned that is not true. Five remedies "
         "follow, each the same run with one thing changed; the table keeps every run's losses.",
         READ_ONLY, keys=("enter",)),
    Step("More data: press 2 for the same network on five times the points (train ratio 50 %), then Space. Noise "
         "that differs from point to point is hard to memorise when there is a lot of it. Train 200 epochs.",
         equals("run", "more_data") & at_least("epoch", EPOCHS), keys=("2", "space")),
    Step("L2 regularisation: press 3, then Space. Every step pulls each weight a little towards 0 (rate 0.01), so "
         "the network keeps only the weights the data pays for: a smoother boundary. Train 200 epochs.",
         equals("run", "l2") & at_least("epoch", EPOCHS), keys=("3", "space")),
    Step("Dropout: press 4, then Space. At each training step half the hidden units, chosen at random, are "
         "switched off (they flicker in the network picture), so no unit can rely on another to memorise a point. "
         "When the network is tested, all units are on. Train 200 epochs.",
         equals("run", "dropout") & at_least("epoch", EPOCHS), keys=("4", "space")),
    Step("Early stopping: press 5, then Space. A fifth of the training points is set aside to validate on; when "
         "their loss has not improved for 20 epochs, training stops and the weights of the best epoch come back.",
         equals("run", "early_stopping") & at_least("stopped_early_at", 1),
         keys=("5", "space")),
    Step("A smaller network: press 6 for one hidden layer of 4 units (17 parameters), then Space. It has no room "
         "to memorise 50 points, only to learn the pattern. Train 200 epochs.",
         equals("run", "smaller") & at_least("epoch", EPOCHS), keys=("6", "space")),
    Step("Compare the table: every remedy ends with a lower test loss than the overfit run, and a smaller gap. "
         "Press 1 to see the overfit run again, or Enter to finish.", READ_ONLY, keys=("1", "enter")),
)

LESSON = Lesson(
    name="overfitting",
    title="Overfitting: when a network memorises instead of learning",
    summary="A wide network on 50 noisy points: the test loss turns up. Then more data, L2, dropout, early "
            "stopping, a smaller network.",
    steps=STEPS,
    claims=(overfit_run_turns, *(_remedy_claim(name) for name in REMEDIES)),
    setup={"runs": {
        "overfit": _run_entry("overfit", {}, "1", "overfit"),
        **{name: _run_entry(name, changes, key, label) for name, (changes, key, label) in REMEDIES.items()},
    }, "start": "overfit"},
    panes=("topology", "output", "loss", "runs_table"),
    small_screen_leaves_out=("topology", "neuron", "output"),  # 24 rows: the curves and the table
    keys={"space": "play_pause", "s": "step_epoch", "r": "reset_weights", "enter": "next_step"},
    values={"overfit_marked": lambda snapshot, state: int(snapshot.overfitting_since is not None)},
    make_state=RunsTable,
    screen="nn_tui.lessons.overfitting.screen",
)
