"""Lesson 5: universal approximation, in one dimension.

A network with one hidden layer of tanh units computes
    ŷ(x) = c + Σ_j v_j·tanh(w_j·x + b_j):
a sum of S-shaped steps, each placed (b_j / w_j), sharpened (w_j) and scaled
(v_j) by training. With enough of them the sum can follow any continuous curve
on an interval as closely as one likes (the universal approximation theorem);
this lesson shows the gap close as units are added.
"""

from __future__ import annotations

import numpy as np

from nn_tui.data.curves import DEFAULT_TARGET, SAMPLES, TARGETS, X_RANGE, target_dataset  # noqa: F401
from nn_tui.engine import Network, make_optimizer
from nn_tui.lessons.headless import train
from nn_tui.lessons.lesson import ClaimResult, Lesson, Step, READ_ONLY, at_least, at_most, changed
from nn_tui.lessons.screen_values import network

UNIT_LADDER = (1, 2, 4, 8, 16)
# Full-batch Adam: every epoch is one step on all the points, so the fit moves
# smoothly and what limits it is the number of units, not mini-batch noise.
STEPS, LR = 2000, 0.01
# Step 2: 8 units trained this many epochs (n restarts the count). Its goal was 8 units
# alone, met by the seventh n before the Space its text asks for.
EIGHT_UNITS_EPOCHS = 300
CLOSE_ENOUGH = 0.05  # root-mean-square error; the wave's amplitude is 1


def fit_units(units, target=DEFAULT_TARGET, seed=0, steps=STEPS, lr=LR):
    data = target_dataset(target, seed)
    net = Network.mlp(1, [units], 1, activation="tanh", output="linear", loss="mse", seed=seed)
    train(net, make_optimizer("adam", lr=lr), data.X_train, data.y_train, steps,
          batch_size=len(data.X_train), seed=seed)
    return data, net


def rms_error(net, data):
    error = net.forward(data.X_test) - data.y_test
    return float(np.sqrt(np.mean(error ** 2)))


def contributions(net, X):
    """Each hidden unit's share of the output, v_j·h_j(x), shape (N, units);
    the output is their sum plus the output bias c (linear output)."""
    hidden = net.layer_outputs(X)[0]
    return hidden * net.layers[1].params["W"][:, 0]


def more_units_close_the_fit(ladder=UNIT_LADDER, target=DEFAULT_TARGET, seed=0, steps=STEPS):
    errors = {units: rms_error(net, data) for units in ladder for data, net in [fit_units(units, target, seed, steps)]}
    falling = all(errors[a] > errors[b] for a, b in zip(ladder, ladder[1:]))
    value = {f"rms_error_{units}_units": error for units, error in errors.items()}
    return ClaimResult(f"on the {target} target, every doubling of the hidden units ({', '.join(map(str, ladder))}) "
                       f"lowers the test error, and {ladder[-1]} units get it below {CLOSE_ENOUGH:g} "
                       f"(root-mean-square, amplitude 1)", value, falling and errors[ladder[-1]] < CLOSE_ENOUGH)


def fit_is_sum_of_units(units=8, target=DEFAULT_TARGET, seed=0, steps=200, tolerance=1e-12):
    data, net = fit_units(units, target, seed, steps)
    grid = np.linspace(*X_RANGE, 101)[:, None]
    rebuilt = contributions(net, grid).sum(axis=1) + net.layers[1].params["b"][0]
    worst = float(np.max(np.abs(rebuilt - net.forward(grid)[:, 0])))
    return ClaimResult(f"the fit is exactly the sum of the {units} units' contributions v_j·tanh(w_j·x + b_j) "
                       f"plus the output bias (largest difference, tolerance {tolerance:g})",
                       worst, worst <= tolerance)


LESSON = Lesson(
    name="approximation",
    title="Universal approximation: enough units can draw any curve",
    summary="Fit a 1-D target with one hidden layer; add units and watch the gap between fit and target close.",
    steps=(
        Step("With enough hidden units, a network with one hidden layer can follow any continuous function on "
             "an interval as closely as you like: the universal approximation theorem (Cybenko 1989, Hornik "
             "1991). Here the network has one "
             "input x, one hidden layer and one output. Press Space to fit the wave with a single unit: one S-curve is all it can draw.",
             at_least("epoch", 300), keys=("space",)),
        Step("Each hidden unit adds one S-shaped step, v·tanh(w·x + b); the fit is their sum (each unit's "
             "contribution is drawn under the fit). Press n until there are 8 units (each n starts the fit afresh, "
             f"with one unit more; the count is in the title over the contributions), then Space to train them for "
             f"{EIGHT_UNITS_EPOCHS} epochs.",
             at_least("hidden_units", 8) & at_least("epoch", EIGHT_UNITS_EPOCHS), keys=("n", "space")),
        # The status line shows the test loss, ½ the mean square: the step says what the RMS goal is there.
        Step(f"Keep adding units until the fit lies on the target: a test error (root mean square) under "
             f"{CLOSE_ENOUGH:g}, that is a test loss (½ the mean square) in the status line under "
             f"{CLOSE_ENOUGH ** 2 / 2:.5f}. With 8 units that takes about 2,000 epochs, a minute at this pace "
             f"(f is faster).",
             at_most("test_rmse", CLOSE_ENOUGH), keys=("n", "space")),
        Step("Press t for another target: sine, abs (a kink), step (a jump), bumps. A jump can only be "
             "approached, never drawn exactly, by a sum of smooth steps; the theorem says how close, not how "
             "many units it takes, nor that training will find them.",
             changed("target"), keys=("t",), held_at_goal=True),
        Step("Try a few targets and unit counts. Press Enter when done.", READ_ONLY, keys=("enter",)),
    ),
    claims=(more_units_close_the_fit, fit_is_sum_of_units),
    setup={"dataset": f"approximation:{DEFAULT_TARGET}", "layers": [1], "activation": "tanh", "output": "linear",
           "loss": "mse", "optimizer": "adam", "lr": LR, "batch_size": SAMPLES, "seed": 0,
           "pace": 30},  # step 1's 300 epochs in ten seconds
    panes=("fit", "contributions", "loss"),
    small_screen_leaves_out=("loss",),  # 24 rows: the fit gets them; the loss is in the status line
    keys={"space": "play_pause", "n": "add_neuron", "N": "remove_neuron", "r": "reset_weights",
          "enter": "next_step"},  # and its own: t, the next target
    values={"hidden_units": lambda snapshot, state: int(sum(network(snapshot).hidden)),
            "target": lambda snapshot, state: snapshot.dataset},
    screen="nn_tui.lessons.approximation.screen",
)
