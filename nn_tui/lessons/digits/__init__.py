"""Lesson 7: handwritten digits, and what the first layer's weights look like."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from nn_tui.data import load_digits
from nn_tui.engine import Network, make_optimizer
from nn_tui.lessons.headless import accuracy, train
from nn_tui.lessons.lesson import READ_ONLY, ClaimResult, Lesson, Step, at_least, epochs_trained

# The settings the README's accuracy comparison with scikit-learn uses, for fewer epochs.
DIGITS = {"dataset": "digits", "layers": (64,), "activation": "relu", "optimizer": "adam", "lr": 0.001,
          "batch_size": 32, "epochs": 40}
GOAL = 0.95
SHUFFLE_SEED = 1


def digits_network(seed=0):
    return Network.mlp(64, list(DIGITS["layers"]), 10, activation=DIGITS["activation"], output="softmax",
                       loss="ce", seed=seed)


def train_digits(net, X, Y, seed=0, epochs=DIGITS["epochs"]):
    train(net, make_optimizer(DIGITS["optimizer"], lr=DIGITS["lr"]), X, Y, epochs,
          batch_size=DIGITS["batch_size"], seed=seed)
    return net


@lru_cache(maxsize=4)  # two claims read the same default run
def trained_default(seed=0, epochs=DIGITS["epochs"]):
    data = load_digits(seed=seed)
    return data, train_digits(digits_network(seed), data.X_train, data.y_train, seed, epochs)


def first_layer_images(net, shape=(8, 8)):
    """Each first-layer neuron's incoming weights as an image, (units, 8, 8):
    pixel (r, c) of image k is the weight from input px<r>_<c> to neuron k."""
    weights = net.layers[0].params["W"]  # (64 inputs, units)
    return weights.T.reshape(weights.shape[1], *shape).copy()


def test_gallery(net, data):
    """For every test digit: (true label, guess, confidence = the guess's probability)."""
    probabilities = net.forward(data.X_test)
    guesses = probabilities.argmax(axis=1)
    return data.y_test.argmax(axis=1), guesses, probabilities[np.arange(len(guesses)), guesses]


def reaches_goal(seed=0, epochs=DIGITS["epochs"], goal=GOAL):
    data, net = trained_default(seed, epochs)
    value = accuracy(net, data.X_test, data.y_test)
    return ClaimResult(f"one hidden layer of 64 ReLU units reaches at least {goal:g} test accuracy on the digits "
                       f"in {epochs} epochs", value, value >= goal)


def mistakes_are_unsure(seed=0, epochs=DIGITS["epochs"]):
    data, net = trained_default(seed, epochs)
    truth, guesses, confidence = test_gallery(net, data)
    right = truth == guesses
    value = {"mistakes": int((~right).sum()), "confidence_right": float(confidence[right].mean()),
             "confidence_wrong": float(confidence[~right].mean()) if (~right).any() else None}
    return ClaimResult("on the test digits it gets wrong, the network is less sure than on those it gets right "
                       "(mean probability of its guess)", value,
                       value["confidence_wrong"] is not None and value["confidence_wrong"] < value["confidence_right"])


def blind_to_pixel_order(seed=0, epochs=DIGITS["epochs"], tolerance=1e-9, shuffle_weights=True):
    """Shuffle the 64 pixels (one order for every image) and the first layer's
    rows the same way: every sum the network computes has the same terms, so
    training runs the same course. A dense layer has no idea which pixels are
    neighbours; the 8×8 pictures of its weights are our way of looking."""
    data = load_digits(seed=seed)
    order = np.random.default_rng(SHUFFLE_SEED).permutation(64)
    plain = digits_network(seed)
    shuffled = digits_network(seed)
    if shuffle_weights:
        shuffled.layers[0].params["W"] = plain.layers[0].params["W"][order]
    train_digits(plain, data.X_train, data.y_train, seed, epochs)
    train_digits(shuffled, data.X_train[:, order], data.y_train, seed, epochs)
    difference = float(np.max(np.abs(plain.forward(data.X_test) - shuffled.forward(data.X_test[:, order]))))
    return ClaimResult(f"a dense network does not see the picture: trained on shuffled pixels (weights shuffled "
                       f"alike) it gives the same outputs on every test digit (largest difference, tolerance "
                       f"{tolerance:g})", difference, difference <= tolerance)


def learns_shuffled_digits(seed=0, epochs=DIGITS["epochs"], goal=GOAL):
    data = load_digits(seed=seed)
    order = np.random.default_rng(SHUFFLE_SEED).permutation(64)
    net = train_digits(digits_network(seed), data.X_train[:, order], data.y_train, seed, epochs)
    value = accuracy(net, data.X_test[:, order], data.y_test)
    return ClaimResult(f"and from its usual fresh start it learns the shuffled digits as well: at least {goal:g} "
                       f"test accuracy", value, value >= goal)


LESSON = Lesson(
    name="digits",
    title="Handwritten digits: what the first layer looks for",
    summary="8×8 digits through 64 ReLU units: each neuron's weights as an image, a confusion matrix, the mistakes.",
    steps=(
        Step("1,797 handwritten digits, 8×8 pixels each: 64 inputs, 10 outputs (one per digit). Classical machine "
             "learning would have someone design features; here the network gets every pixel and finds its "
             "own. Press Space to train.",
             # 2, not 5: at 1 epoch a second 95 % came 2 s into step 3, too soon to watch the tiles change
             epochs_trained(2), keys=("space",)),
        Step("Each tile is one hidden neuron's 64 incoming weights laid out as the 8×8 image they weigh (blue: "
             "ink there raises the neuron's sum; orange: lowers it). They start as random noise and change as "
             "the network trains (watch them in the next step). A popular intuition says a first layer finds "
             "edges, the next loops and curves, the next whole digits: an intuition, not a proven fact. Press Enter.",
             # Read-only: its old goal (90 %) was always met by step 1's 5 epochs, and any epochs
             # here would pass step 3's 95 % before it begins (seed 0: 93 % at 5, 95 % at 7).
             READ_ONLY, keys=("enter",)),
        Step("The confusion matrix counts, for each true digit (row), what the network guessed (column); the "
             "diagonal is right. Train until test accuracy reaches 95 %.",
             at_least("test_accuracy", GOAL), keys=("space",)),
        Step("The cells off the diagonal are the mistakes: which digits it takes for which. On average the "
             "network is much less sure of its mistakes than of its right answers (nn-tui lesson digits "
             "--verify measures it), and some of the digits it gets wrong you might misread too "
             "(this screen does not draw them; the cnn lesson's does).",
             READ_ONLY, keys=("enter",)),
        Step("One caution about the pictures: shuffle the pixels of every image the same way, and a dense network "
             "learns just as well. It never knew which pixels were neighbours; the 8×8 layout is ours. Networks "
             "that do use it are LeCun's convolutional networks (1989; lesson cnn).",
             READ_ONLY, keys=("enter",)),
    ),
    claims=(reaches_goal, mistakes_are_unsure, blind_to_pixel_order, learns_shuffled_digits),
    setup={**DIGITS, "layers": list(DIGITS["layers"]), "seed": 0,
           "pace": 1},  # one epoch a second: 90 % comes in about five, each one seen
    panes=("weight_images", "confusion", "loss"),
    # 24 rows: the matrix gets its ten rows, a heading row and its border (its title has the
    # share right), the tiles the rest; the loss curve is left out.
    small_screen_leaves_out=("loss",),
    small_screen_heights={"confusion": 13},
    keys={"space": "play_pause", "s": "step_epoch", "r": "reset_weights",
          "enter": "next_step"},
    screen="nn_tui.lessons.digits.screen",
)
