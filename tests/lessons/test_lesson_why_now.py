"""The why-now lesson: its steps, the digits shares it trains on, the AlexNet arithmetic,
the speed measurement, and claims that fail when what they say is not so."""

import numpy as np
import pytest

from nn_tui.data import DataError, load_digits
from nn_tui.data.subsets import digits_share
from nn_tui.engine.speed import BATCH_SIZES, DTYPES, measure_rates, step_operations
from nn_tui.kinds.speed import SpeedView
from nn_tui.lessons import why_now
from nn_tui.lessons.runs import config_for
from nn_tui.lessons.why_now import alexnet
from nn_tui.session import Session
from lesson_walk import walk


def test_steps_need_each_share_trained_then_the_speed_measured():
    seen = walk(why_now.LESSON, {"epoch": 0, "data_shown": "digits:1%", "train_accuracy": 0.1,
                                 "test_accuracy": 0.1, "speed_measured": False}, [
        {"epoch": 40, "train_accuracy": 1.0, "test_accuracy": 0.7},
        {"epoch": 40, "data_shown": "digits:1%"},           # 2 pressed, the last run's snapshot still shown
        {"data_shown": "digits:10%", "epoch": 0, "train_accuracy": 0.1},
        {"epoch": 30, "train_accuracy": 1.0},
        {"epoch": 3, "test_accuracy": 0.97},                 # still the 10 % run: not step 3's
        {"data_shown": "digits:100%", "epoch": 0, "test_accuracy": 0.1},
        {"epoch": 5, "test_accuracy": 0.96},
        {"speed_measured": True},
        "next", "next",
    ])
    assert seen == [1, 1, 1, 2, 2, 2, 3, 4, 5, 6]


def test_a_share_trains_on_fewer_images_of_every_class_and_tests_on_the_same_ones():
    full = load_digits(seed=0)
    assert len(full.X_train) == why_now.DIGITS_TRAIN_IMAGES  # the screen's x axis counts on it
    for share in why_now.SHARES:
        data = digits_share(f"{share}%", seed=0)
        assert len(data.X_train) == why_now.train_images(share)
        assert data.name == f"digits:{share}%"
        np.testing.assert_array_equal(data.X_test, full.X_test)
        assert len(set(data.y_train.argmax(axis=1))) == 10  # 14 images: every digit at least once
        rows = {row.tobytes() for row in full.X_train}
        assert all(row.tobytes() in rows for row in data.X_train)  # taken from the training split
    one = digits_share("10%", seed=0)
    np.testing.assert_array_equal(one.X_train, digits_share("10%", seed=0).X_train)  # same seed, same images


@pytest.mark.parametrize("item", ["0%", "101%", "10", "ten%", "-5%"])
def test_a_share_that_cannot_be_is_refused_in_one_line(item):
    with pytest.raises(DataError, match="from 1% to 100%"):
        digits_share(item)


def test_alexnet_counted_from_its_layers():
    assert alexnet.convolution_multiply_adds() == 665_784_864
    assert alexnet.forward_multiply_adds() == 724_406_816
    # 2 FLOP a multiply-add, 3x the forward pass, 1.2 M images, 90 epochs.
    assert alexnet.training_operations() == 2 * 724_406_816 * 3 * 1_200_000 * 90
    assert alexnet.days_at(alexnet.training_operations() / 86_400) == pytest.approx(1.0)
    assert [round(rate / 1e12, 2) for rate in alexnet.paper_rate()] == [0.91, 1.09]
    assert alexnet.duration(49.4) == "49 days" and alexnet.duration(1900) == "5.2 years"
    assert why_now.alexnet_counted().holds


def test_the_alexnet_claims_fail_on_other_figures(monkeypatch):
    monkeypatch.setattr(alexnet, "LAYERS", alexnet.LAYERS[:-1])  # the last dense layer forgotten
    assert alexnet.forward_multiply_adds() < 724e6
    monkeypatch.setattr(alexnet, "CITED_MULTIPLY_ADDS", 1.45e9)  # FLOP taken for multiply-adds
    assert not why_now.alexnet_counted().holds
    fast = {(dtype, batch): 2e12 for dtype in DTYPES for batch in BATCH_SIZES}  # faster than the two GPUs
    assert not why_now.alexnet_here(fast).holds


def test_the_speed_claims_fail_on_rates_that_say_otherwise():
    flat = {(dtype, batch): 1e9 for dtype in DTYPES for batch in BATCH_SIZES}
    assert not why_now.big_batches_pay(flat).holds
    assert not why_now.float32_pays(flat).holds
    faster = {**flat, ("float64", 256): 10e9, ("float32", 256): 20e9}
    assert why_now.big_batches_pay(faster).holds and why_now.float32_pays(faster).holds


def test_the_data_claims_fail_when_training_is_too_short():
    # 10 updates: nothing learned its images, and 1 % and 10 % are both poor.
    assert not why_now.each_learns_its_images(updates=10).holds
    assert not why_now.more_data_tests_better(updates=10, gains=(0.1, 0.1)).holds


def test_the_engine_measures_positive_rates_for_every_setting():
    assert step_operations(256, 512, 512) == 6 * 256 * 512 * 512
    rates = measure_rates(batch_sizes=(1, 8), dtypes=("float32",), width=32, rounds=1, seconds=0.002)
    assert set(rates) == {("float32", 1), ("float32", 8)}
    assert all(np.isfinite(rate) and rate > 0 for rate in rates.values())


def test_measure_speed_is_a_session_command_that_leaves_the_scores_alone():
    session = Session(config_for(why_now.LESSON))
    before = session.snapshot
    session.send("measure_speed")
    session.apply_commands()
    view = session.snapshot.view(SpeedView)
    assert view is not None and view.width == 512
    assert {(dtype, batch) for dtype, batch, _ in view.rates} == {(d, b) for d in DTYPES for b in BATCH_SIZES}
    assert view.rate("float32", 256) > 0 and view.rate("float16", 1) is None
    assert session.snapshot.metrics == before.metrics and session.snapshot.epoch == 0
