"""Lesson 11: autoencoders: digits squeezed through a narrow middle and rebuilt.

Shorter than the kind's 400-epoch default so --verify takes seconds: measured
(bench/lesson_kinds.py, seeds 0-4) the 64-32-64 denoiser at σ 0.4 gains
+4.44 to +4.69 dB in 40 epochs, and the 2-D codes of 64-32-2-32-64 after 80
epochs give a 5-nearest-neighbour accuracy of 0.41-0.73 (guessing: 0.1).
"""

from __future__ import annotations

import numpy as np

from nn_tui.lessons.kind_runs import pairs, trained_run, trained_scores
from nn_tui.lessons.lesson import READ_ONLY, ClaimResult, Lesson, Step, at_least, epochs_trained, exceeds_by

DENOISER = {"model": "autoencoder", "dataset": "digits", "layers": (32,), "activation": "relu", "corrupt": 0.4,
            "optimizer": "adam", "lr": 0.003, "batch_size": 32, "epochs": 40}
CODE_MAP = {**DENOISER, "layers": (32, 2), "corrupt": 0.0, "epochs": 80}
GAIN_GOAL = 3.0  # dB
CHANCE = 0.1  # ten digits
CODE_GOAL = 3 * CHANCE


def _scores(settings: dict, seed: int, epochs: int | None = None) -> dict:
    epochs = settings["epochs"] if epochs is None else epochs
    return trained_scores(pairs({k: v for k, v in settings.items() if k != "epochs"} | {"seed": seed}), epochs)


def denoising_gain(seed: int = 0, epochs: int | None = None, settings: dict = DENOISER, goal: float = GAIN_GOAL):
    scores = _scores(settings, seed, epochs)
    value = {"psnr_noisy": scores["test_psnr_noisy"], "psnr_rebuilt": scores["test_psnr"],
             "gain_db": scores["test_psnr"] - scores["test_psnr_noisy"]}
    epochs = settings["epochs"] if epochs is None else epochs
    return ClaimResult(f"64-32-64 trained {epochs} epochs on digits with noise σ {settings['corrupt']:g} rebuilds "
                       f"the noisy test digits at least {goal:g} dB cleaner (PSNR) than they came in", value,
                       value["gain_db"] >= goal)


def code_map_groups_digits(seed: int = 0, epochs: int | None = None, settings: dict = CODE_MAP,
                           goal: float = CODE_GOAL):
    value = _scores(settings, seed, epochs)["code_5nn_accuracy"]
    epochs = settings["epochs"] if epochs is None else epochs
    return ClaimResult(f"squeezed to 2 numbers (64-32-2-32-64, {epochs} epochs, never shown a label), the codes "
                       f"put like digits together: 5 nearest training codes name a test digit right at least "
                       f"{goal:g} of the time (guessing: {CHANCE:g})", value, value >= goal)


def code_points(seed: int = 0, epochs: int | None = None, settings: dict = CODE_MAP):
    """The test digits' 2-D codes (N, 2) and their labels, for the code map."""
    epochs = settings["epochs"] if epochs is None else epochs
    run = trained_run(pairs({k: v for k, v in settings.items() if k != "epochs"} | {"seed": seed}), epochs)
    return run.codes(run.clean_test), np.asarray(run.dataset.labels(run.dataset.y_test))


def _plain(settings: dict) -> dict:
    return {name: (list(value) if isinstance(value, tuple) else value) for name, value in settings.items()}


LESSON = Lesson(
    name="autoencoder",
    title="Autoencoders: squeeze and rebuild",
    summary="Digits through a narrow middle: denoising, and the 2-D code map.",
    steps=(
        Step("An autoencoder is asked to give back its input: 64 pixels in, 64 out, through a middle of only 32 "
             "neurons. It cannot copy; it has to learn what digits have in common. Here the input is also "
             "spoilt with noise (σ 0.4) and the target is the clean digit. Press Space to train.",
             epochs_trained(5), keys=("space",)),
        Step("Top row clean, middle noisy, bottom rebuilt. PSNR measures how close a picture is to the clean one "
             "(higher is closer): watch the rebuilt digits climb above the noisy ones. Train until the rebuilt "
             "test digits are 3 dB better than the noisy.",
             exceeds_by("test_psnr", "test_psnr_noisy", GAIN_GOAL), keys=("space",)),
        Step("Now the middle is 2 neurons (64-32-2-32-64, no noise): every digit becomes a point on a plane. "
             "Switch to that run and train; the network never sees a label.",
             epochs_trained(20), keys=("space",)),
        Step("Colour the points by the digit they came from: like digits land together. A 5-nearest-neighbour "
             "guess from the map is right far more often than chance (0.1). Train until it is right 30 % of the "
             "time.", at_least("code_5nn_accuracy", CODE_GOAL), keys=("space",)),
        Step("Two numbers per digit is a harsh squeeze: the rebuilt digits blur, and some classes overlap on the "
             "map. Wider middles rebuild better; the narrow one is what you can draw.", READ_ONLY, keys=("enter",)),
    ),
    claims=(denoising_gain, code_map_groups_digits),
    setup={"runs": {"denoise": _plain(DENOISER) | {"seed": 0}, "code_map": _plain(CODE_MAP) | {"seed": 0}},
           "start": "denoise"},
    panes=("reconstructions", "code_map", "loss"),
    keys={"space": "play_pause", "s": "step_epoch", "r": "reset_weights", "enter": "next_step"},
    available=False, headless=True, needs="autoencoder",
)
