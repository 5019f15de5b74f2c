"""The autoencoder lesson: its steps, and claims that fail on runs too short to hold."""

import numpy as np

from nn_tui.lessons import autoencoder
from lesson_walk import walk


def test_steps_follow_the_psnr_gain_then_the_code_map():
    seen = walk(autoencoder.LESSON, {"epoch": 0}, [
        {"epoch": 5, "test_psnr_noisy": 10.8, "test_psnr": 11.0, "code_5nn_accuracy": 0.35},
        {"epoch": 10, "test_psnr": 12.2},  # +1.4 dB: not yet
        {"epoch": 12, "test_psnr": 12.4},  # +1.6 dB; the map groups, not yet 60 % of guesses right
        {"epoch": 20, "code_5nn_accuracy": 0.6},
        "next",
    ])
    assert seen == [1, 1, 2, 3, 4]


def test_the_narrow_middle_rebuilds_worse_than_a_wide_one_only_when_both_are_trained():
    untrained_wide = autoencoder.wider_rebuilds_better(wide={**autoencoder.WIDE, "epochs": 1})
    assert not untrained_wide.holds


def test_one_epoch_is_not_enough_for_either_claim():
    gain = autoencoder.denoising_gain(epochs=1)
    assert not gain.holds and 0 < gain.value["gain_db"] < autoencoder.GAIN_GOAL
    assert gain.value["psnr_rebuilt"] - gain.value["psnr_noisy"] == gain.value["gain_db"]
    codes = autoencoder.code_map_groups_digits(epochs=1)
    assert not codes.holds and codes.value < autoencoder.CODE_GOAL


def test_the_code_map_gives_every_test_digit_a_point_and_its_label():
    points, labels = autoencoder.code_points(epochs=1)
    assert points.shape == (len(labels), 2) and set(np.unique(labels)) == set(range(10))


def test_the_wide_run_is_the_kinds_default_middle_the_lesson_text_names():
    from nn_tui.kinds import get_kind
    from nn_tui.kinds.autoencoder.spec import AutoencoderSpec

    width, text = AutoencoderSpec.layers, autoencoder.LESSON.steps[3].text
    assert autoencoder.WIDE["layers"] == width
    epochs = get_kind("autoencoder").defaults["epochs"]
    assert f"default middle of {width[0]}" in text and f"its {epochs} epochs" in text


def test_the_code_map_shows_the_5nn_score_step_3_trains_for():
    # Step 3: "Train until a 5-nearest-neighbour guess from the map is right N %": the score
    # was shown nowhere on screen. It is in the code map's title; the axis reads 3 digits.
    from types import SimpleNamespace

    import numpy as np

    from nn_tui.kinds.autoencoder.panes import draw_codes

    widget = SimpleNamespace(border_title="", border_subtitle=None, outer_size=SimpleNamespace(width=40),
                             show_points=lambda *args: None)  # an 80x24 pane's width
    view = SimpleNamespace(codes=np.zeros((2, 2)), labels=np.zeros(2, int), class_names=("0",))
    draw_codes(widget, SimpleNamespace(metrics={"code_5nn_accuracy": 0.634}, dataset="digits"), view, None)
    assert widget.border_title.startswith("5-NN guess 63% right")  # first, on the top border
    assert "codes of the test digits" in widget.border_subtitle and "…" not in widget.border_subtitle
    assert "5-NN" in autoencoder.LESSON.steps[2].text
