"""Lesson 9: convolutional networks: small filters slid over the picture.

The comparison is measured by bench/lesson_kinds.py (seeds 0-4): this CNN
(conv 8,16, no dense hidden layer, 1,898 parameters, Adam lr 0.003, 40 epochs)
reached 0.978-0.982 test accuracy; the digits lesson's dense network (64 ReLU
units, 4,810 parameters, Adam lr 0.001, 40 epochs) 0.962-0.973. The CNN was
ahead on every seed.
"""

from __future__ import annotations

from nn_tui.engine import Conv2D
from nn_tui.kinds.cnn.probes import ConvView, probes
from nn_tui.lessons.digits import DIGITS
from nn_tui.lessons.kind_runs import pairs, trained_run, trained_scores
from nn_tui.lessons.lesson import READ_ONLY, ClaimResult, Lesson, Step, at_least, epochs_trained

FULL_HD = (1920, 1080)  # width × height in pixels
HIDDEN_UNITS = 100  # a modest first dense layer on that picture

CNN = {"model": "cnn", "dataset": "digits", "conv": (8, 16), "kernel": 3, "layers": (), "activation": "relu",
       "optimizer": "adam", "lr": 0.003, "batch_size": 32, "epochs": 40}
# The digits lesson's dense network, run through the mlp kind.
MLP = {"model": "mlp", "dataset": "digits", "layers": DIGITS["layers"], "activation": DIGITS["activation"],
       "optimizer": DIGITS["optimizer"], "lr": DIGITS["lr"], "batch_size": DIGITS["batch_size"],
       "epochs": DIGITS["epochs"]}


def dense_inputs(width: int, height: int, channels: int = 1) -> int:
    """A dense layer sees every pixel (of every channel) as its own input."""
    return width * height * channels


def full_hd_sizes(units: int = HIDDEN_UNITS, kernel: int = 3) -> dict:
    """What a dense layer and a conv filter cost on one grey full-HD image."""
    inputs = dense_inputs(*FULL_HD)
    conv = Conv2D(1, 1, kernel)  # one 3×3 filter: its size does not depend on the picture's
    return {"inputs": inputs, "dense_weights": inputs * units + units, "conv_filter_weights": conv.n_params}


def full_hd_claim(units: int = HIDDEN_UNITS):
    sizes = full_hd_sizes(units)
    return ClaimResult(f"a dense layer on one grey full-HD image (1920×1080) has 2,073,600 inputs; {units} neurons "
                       f"on it need {sizes['dense_weights']:,} weights and biases, while a 3×3 filter slid over "
                       f"the same image needs {sizes['conv_filter_weights']} (9 weights and a bias)", sizes,
                       sizes["inputs"] == 2_073_600 and sizes["conv_filter_weights"] < sizes["dense_weights"])


def run_settings(settings: dict, seed: int) -> tuple:
    return pairs({name: value for name, value in settings.items() if name != "epochs"} | {"seed": seed})


def compare(seed: int = 0, cnn: dict = CNN, mlp: dict = MLP) -> dict:
    cnn_run = trained_run(run_settings(cnn, seed), cnn["epochs"])
    mlp_run = trained_run(run_settings(mlp, seed), mlp["epochs"])
    return {"cnn_accuracy": trained_scores(run_settings(cnn, seed), cnn["epochs"])["test_accuracy"],
            "dense_accuracy": trained_scores(run_settings(mlp, seed), mlp["epochs"])["test_accuracy"],
            "cnn_parameters": cnn_run.model.n_params, "dense_parameters": mlp_run.model.n_params}


def cnn_beats_dense(seed: int = 0, cnn: dict = CNN, mlp: dict = MLP):
    value = compare(seed, cnn, mlp)
    holds = value["cnn_accuracy"] > value["dense_accuracy"] and value["cnn_parameters"] < value["dense_parameters"]
    return ClaimResult(f"the CNN (conv {','.join(map(str, cnn['conv']))}, 3×3 filters, {cnn['epochs']} epochs) "
                       f"beats the digits lesson's dense network ({mlp['layers'][0]} ReLU units, {mlp['epochs']} "
                       f"epochs) on the test digits with fewer parameters", value, holds)


def feature_maps_shrink(seed: int = 0, cnn: dict = CNN):
    """Each conv stage keeps the picture's layout: its maps are images, halved by the pool."""
    run = trained_run(run_settings(cnn, seed), cnn["epochs"])
    view = next(v for v in probes(run) if isinstance(v, ConvView))
    shapes = [list(maps.shape) for maps in view.feature_maps]
    expected = [[channels, 8 >> stage, 8 >> stage] for stage, channels in enumerate(cnn["conv"])]
    return ClaimResult("every filter makes a feature map that is still a picture: 8 maps of 8×8 on the digit, "
                       "then, after a 2×2 pool, 16 maps of 4×4", {"feature_map_shapes": shapes}, shapes == expected)


LESSON = Lesson(
    name="cnn",
    title="Convolutional networks: local patterns, few weights",
    summary="Why a dense layer on a full-HD image needs 2,073,600 inputs; filters and feature maps on the digits.",
    steps=(
        Step("A grey full-HD photo is 1920×1080 = 2,073,600 pixels. A dense layer takes each pixel as its own "
             "input: 100 neurons on it need over 207 million weights, and they know nothing of which pixels are "
             "neighbours (lesson digits showed it). A convolution slides one small filter, 3×3 = 9 weights, over "
             "the whole picture instead. The idea came from Hubel and Wiesel's studies of the cat's visual cortex; "
             "Yann LeCun's convolutional networks (1989) read handwritten ZIP codes; LeNet-5 (1998) "
             "read bank cheques.", READ_ONLY, keys=("enter",)),
        Step("This CNN has two stages: 8 filters of 3×3 on the digit, a 2×2 max-pool, 16 filters on the result, "
             "another pool, then straight to the 10 outputs: 1,898 parameters in all. Press Space to train.",
             epochs_trained(3), keys=("space",)),
        Step("Each filter's output is a feature map: the digit redrawn by where that filter's pattern is found. "
             "The maps stay pictures (8×8, then 4×4 after the pool), so the next filters see neighbours together. "
             "Train until test accuracy reaches 97 %.", at_least("test_accuracy", 0.97), keys=("space",)),
        Step("The digits lesson's dense network has 4,810 parameters and reached about 0.96-0.97 in 40 epochs; "
             "this CNN, with 1,898, reaches about 0.98 (nn-tui lesson cnn --verify measures both on one seed). "
             "Sharing one filter across the picture is what buys it.", READ_ONLY, keys=("enter",)),
    ),
    claims=(full_hd_claim, cnn_beats_dense, feature_maps_shrink),
    setup={name: (list(value) if isinstance(value, tuple) else value) for name, value in CNN.items()} | {"seed": 0},
    panes=("layers", "digit", "confusion", "curves"),  # the cnn kind's LAYOUT ids
    left_panes=("curves",),  # under the steps: the right column keeps its rows for the maps and the matrix
    small_screen_leaves_out=("digit",),  # 24 rows: the filters and both stages of maps get them
    keys={"space": "play_pause", "s": "step_epoch", "r": "reset_weights", "enter": "next_step"},
)
