"""Lesson 13: why now? Data and hardware, measured on this machine.

Data: the same network trained on 1 %, 10 % and 100 % of the digits' training
images (built in, always there), tested on the same test digits: each learns its
own images by heart, only more images lift the test accuracy. Claims train each
for the same number of updates (UPDATES), so none is short of training. Measured
(seeds 0-4, 1,200 updates): test accuracy 0.58-0.75 on 1 %, 0.89-0.93 on 10 %,
0.96-0.98 on 100 %; every run ≥ 0.99 on its own training images.

Hardware: the engine's floating-point operations a second (nn_tui.engine.speed),
measured in the training process by the dense kind's ``measure_speed`` command,
and what AlexNet's training (its paper's figures, ``alexnet``) would take here.
Measured in CPU time on this 2-core Xeon, one BLAS thread, 12 runs at load averages
from 2 to 45 (bench/why_now.py): batch 256 gives 16-18x the rate of batch 1 in
float64, 28-30x in float32; float32 2.13-2.28x float64 at batch 256.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from nn_tui.data.subsets import digits_share, train_count
from nn_tui.engine.speed import BATCH_SIZES, DTYPES, WIDTH, measure_rates
from nn_tui.lessons.headless import accuracy, fit
from nn_tui.lessons.lesson import READ_ONLY, ClaimResult, Lesson, Step, at_least, equals
from nn_tui.lessons.why_now import alexnet

NETWORK = {"layers": (64,), "activation": "relu", "optimizer": "adam", "lr": 0.003, "batch_size": 32}
SHARES = (1, 10, 100)  # percent of the training images
DIGITS_TRAIN_IMAGES = 1_350  # the digits' training split (75 % of 1,797); a test checks it against the data
UPDATES = 1_200  # every share trains for as many updates (1 % has one batch an epoch, 100 % 43)
MEMORISED = 0.99  # train accuracy: the network knows its own images
# Test accuracy rises by at least this much from 1 % to 10 %, and from 10 % to 100 %
# (measured, seeds 0-4: +0.15 to +0.33, and +0.04 to +0.08).
GAIN_FROM_1_TO_10 = 0.10
GAIN_FROM_10_TO_100 = 0.02
# Rates measured in CPU time: batch 256 over batch 1 (16-30x measured), float32 over float64 at batch 256 (2.2x).
BATCH_GAIN = 5.0
FLOAT32_GAIN = 1.5
BIG_BATCH, SMALL_BATCH = max(BATCH_SIZES), min(BATCH_SIZES)


def run_name(share: int) -> str:
    return f"{share}%_of_the_images"


def train_images(share: int) -> int:
    return train_count(share, DIGITS_TRAIN_IMAGES)


# ------------------------------------------------------------------ data: the claims
def epochs_for(share: int, updates: int = UPDATES) -> int:
    return math.ceil(updates / math.ceil(train_images(share) / NETWORK["batch_size"]))


@lru_cache(maxsize=4)
def accuracies(seed: int = 0, updates: int = UPDATES) -> dict[int, tuple[int, float, float]]:
    """share -> (training images, train accuracy, test accuracy), each run as long (in updates)."""
    results = {}
    for share in SHARES:
        data = digits_share(f"{share}%", seed)
        net = fit(data, NETWORK["layers"], activation=NETWORK["activation"], optimizer=NETWORK["optimizer"],
                  lr=NETWORK["lr"], batch_size=NETWORK["batch_size"], epochs=epochs_for(share, updates), seed=seed)
        results[share] = (len(data.X_train), accuracy(net, data.X_train, data.y_train),
                          accuracy(net, data.X_test, data.y_test))
    return results


def each_learns_its_images(seed: int = 0, updates: int = UPDATES, memorised: float = MEMORISED):
    runs = accuracies(seed, updates)
    value = {f"train_accuracy_{share}%": runs[share][1] for share in SHARES}
    return ClaimResult(f"trained for {updates:,} updates each, the digits network learns its own training images "
                       f"(at least {memorised:.0%} right) on 1 %, 10 % and 100 % of them: none is short of "
                       f"training", value, all(runs[share][1] >= memorised for share in SHARES))


def more_data_tests_better(seed: int = 0, updates: int = UPDATES, gains=(GAIN_FROM_1_TO_10, GAIN_FROM_10_TO_100)):
    runs = accuracies(seed, updates)
    tests = [runs[share][2] for share in SHARES]
    value = {**{f"images_{share}%": runs[share][0] for share in SHARES},
             **{f"test_accuracy_{share}%": runs[share][2] for share in SHARES}}
    return ClaimResult(f"on the same test digits, accuracy rises with the training images: at least "
                       f"{gains[0] * 100:g} pp from 1 % to 10 % and {gains[1] * 100:g} pp more with 100 %", value,
                       tests[1] >= tests[0] + gains[0] and tests[2] >= tests[1] + gains[1])


# ------------------------------------------------------------------ hardware: the claims
@lru_cache(maxsize=1)
def measured_rates() -> dict[tuple[str, int], float]:
    return measure_rates(BATCH_SIZES, DTYPES, WIDTH)


def big_batches_pay(rates=None, gain: float = BATCH_GAIN):
    rates = measured_rates() if rates is None else rates
    value = {f"{dtype}_batch_{batch}": rates[dtype, batch] for dtype in DTYPES for batch in (SMALL_BATCH, BIG_BATCH)}
    return ClaimResult(f"the engine's {WIDTH}x{WIDTH} Dense layer (forward + backward, FLOP/s in CPU time) computes "
                       f"at least {gain:g}x as many operations a second on a batch of {BIG_BATCH} as on one sample, "
                       f"in float64 and in float32", value,
                       all(rates[dtype, BIG_BATCH] >= gain * rates[dtype, SMALL_BATCH] for dtype in DTYPES))


def float32_pays(rates=None, gain: float = FLOAT32_GAIN):
    rates = measured_rates() if rates is None else rates
    value = {dtype: rates[dtype, BIG_BATCH] for dtype in DTYPES}
    return ClaimResult(f"on a batch of {BIG_BATCH}, float32 computes at least {gain:g}x the operations a second of "
                       f"float64 (half the bytes: twice the numbers per vector instruction)", value,
                       value["float32"] >= gain * value["float64"])


def alexnet_counted():
    value = {"convolutions": alexnet.convolution_multiply_adds(), "all": alexnet.forward_multiply_adds(),
             "cited_convolutions": alexnet.CITED_CONVOLUTION_MULTIPLY_ADDS, "cited_all": alexnet.CITED_MULTIPLY_ADDS}
    close = (abs(value["convolutions"] / value["cited_convolutions"] - 1) < 0.01
             and abs(value["all"] / value["cited_all"] - 1) < 0.01)
    return ClaimResult("counted from the AlexNet paper's layers, one image's forward pass is about 724 million "
                       "multiply-adds (666 million in the convolutions), within 1 % of the published counts", value,
                       close)


def alexnet_here(rates=None):
    rates = measured_rates() if rates is None else rates
    best, slowest = max(rates.values()), min(rates.values())
    value = {"training_flop": alexnet.training_operations(), "best_rate": best, "days_at_best": alexnet.days_at(best),
             "days_at_slowest": alexnet.days_at(slowest), "paper_days": max(alexnet.PAPER_DAYS)}
    return ClaimResult(f"AlexNet's training ({alexnet.EPOCHS} epochs of {alexnet.TRAINING_IMAGES:,} images, 3x the "
                       f"forward pass each) would take longer here than the paper's {max(alexnet.PAPER_DAYS)} days on "
                       f"{alexnet.GPUS} GPUs even at the best rate measured, and more than a year at the slowest "
                       f"(one sample at a time)", value,
                       value["days_at_best"] > max(alexnet.PAPER_DAYS) and value["days_at_slowest"] > 365)


# ------------------------------------------------------------------ the screen's values
@dataclass
class WhyNowState:
    """The lesson screen's own: a point per run (its training images, train and test
    accuracy, kept as runs switch) and the engine's rates once measured."""

    points: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    rates: dict[tuple[str, int], float] | None = None
    measuring: bool = False


RUN = {**NETWORK, "layers": list(NETWORK["layers"]), "seed": 0}
# Epochs a second on screen: an epoch of 1 % is one batch, of 100 % 43.
PACES = {1: 20, 10: 10, 100: 2}

LESSON = Lesson(
    name="why-now",
    title="Why now? Data and hardware",
    summary="One network on 1 %, 10 % and 100 % of the digits, and the engine's FLOP/s against AlexNet's training.",
    steps=(
        Step("Why did networks take off around 2012? Labelled data at internet scale, and fast hardware. First "
             "the data: this digits network (the 8×8 digits built into nn-tui) sees only 1 % of the training "
             "images, 14 of 1,350. Press Space and train until it gets all 14 right.",
             equals("data_shown", "digits:1%") & at_least("train_accuracy", MEMORISED), keys=("space",)),
        Step("It knows its 14 images by heart, yet the test digits (the same 447 for every run) fare far worse: "
             "the chart on the right plots test accuracy against training images. Press 2 for the same network "
             "on 10 % (135 images) and train it until it gets at least 99 % of them right.",
             equals("data_shown", "digits:10%") & at_least("train_accuracy", MEMORISED), keys=("2", "space")),
        Step("Better, and still short. Press 3 for all 1,350 training images and train until the test accuracy "
             "reaches 95 %.",
             equals("data_shown", "digits:100%") & at_least("test_accuracy", 0.95), keys=("3", "space")),
        Step("Each tenfold more images bought test accuracy (the chart's x axis is logarithmic). AlexNet, the "
             "2012 ImageNet winner, learned from 1.2 million labelled photos. Now the hardware: press m to measure "
             "how fast nn-tui's engine computes here, a 512×512 dense layer forward and backward, in float64 and "
             "float32, on batches of 1, 16 and 256 (it runs in the training process, about a second).",
             equals("speed_measured", True), keys=("m",)),
        Step("The table shows floating-point operations a second (FLOP/s, in CPU time, one core). One sample at a "
             "time, Python's calls cost more than the arithmetic; a batch keeps the arithmetic busy, and float32 "
             "moves half the bytes of float64. GPUs push both ideas much further.",
             READ_ONLY, keys=("enter",)),
        Step("AlexNet's paper: about 90 passes over 1.2 million images, five to six days on two GTX 580 GPUs, "
             "15.3 % top-5 error. Counted from its layers, one image's forward pass is 724 million multiply-adds: "
             "×2 operations each, ×3 with the backward pass (a rule of thumb), ×1.2 M images ×90 ≈ 4.7×10¹⁷. "
             "The table's last line: how long that would take here at the rates just measured (were the "
             "convolutions as fast as this dense layer). Press Enter to finish.",
             READ_ONLY, keys=("enter",)),
    ),
    claims=(each_learns_its_images, more_data_tests_better, big_batches_pay, float32_pays, alexnet_counted,
            alexnet_here),
    setup={"runs": {run_name(share): {"dataset": f"digits:{share}%", **RUN, "pace": PACES[share], "key": str(index),
                                      "label": f"{share}% of the images"}
                    for index, share in enumerate(SHARES, start=1)},
           "start": run_name(1)},
    panes=("data_chart", "speed_table", "loss"),
    small_screen_leaves_out=("loss",),
    keys={"space": "play_pause", "r": "reset_weights", "enter": "next_step"},  # and its own: m measures
    # The data the snapshot shows, not the run asked for: just after 2 or 3 the last run's
    # snapshot (its images learned by heart) must not pass the new run's step.
    values={"data_shown": lambda snapshot, state: snapshot.dataset,
            "speed_measured": lambda snapshot, state: state.own.rates is not None},
    make_state=WhyNowState,
    screen="nn_tui.lessons.why_now.screen",
)
