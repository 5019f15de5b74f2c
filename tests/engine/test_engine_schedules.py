"""Learning-rate schedules: the values each one gives, the warm-up, and that the
trainer follows them before every update."""

import math

import numpy as np
import pytest

from nn_tui.engine.schedules import STEP_FACTOR, WARMUP_FLOOR, Schedule


def test_constant_is_the_base_rate_everywhere_and_changes_nothing():
    schedule = Schedule("constant", 0.1, length=50)
    assert not schedule.changes
    assert all(schedule.lr_at(t) == 0.1 for t in (0, 0.5, 10, 49.9, 50, 500))


def test_step_halves_every_few_epochs():
    schedule = Schedule("step", 0.08, length=100, every=10)
    assert schedule.changes
    assert [schedule.lr_at(t) for t in (0, 9.99, 10, 19.5, 20, 35)] == [0.08, 0.08, 0.04, 0.04, 0.02, 0.01]
    assert STEP_FACTOR == 0.5


def test_step_every_defaults_to_a_quarter_of_the_run():
    schedule = Schedule("step", 1.0, length=40)
    assert schedule.step_every == 10
    assert schedule.lr_at(9.9) == 1.0 and schedule.lr_at(10) == 0.5 and schedule.lr_at(30) == 0.125
    assert Schedule("step", 1.0, length=2).step_every == 1  # never 0


def test_cosine_falls_from_the_base_rate_to_zero_at_the_end_and_stays():
    schedule = Schedule("cosine", 0.2, length=100)
    assert schedule.lr_at(0) == 0.2
    assert schedule.lr_at(50) == pytest.approx(0.1, abs=1e-15)
    assert schedule.lr_at(25) == pytest.approx(0.1 * (1 + math.cos(math.pi / 4)))
    assert schedule.lr_at(100) == pytest.approx(0.0, abs=1e-18)
    assert schedule.lr_at(250) == schedule.lr_at(100)
    values = [schedule.lr_at(t) for t in np.linspace(0, 100, 201)]
    assert all(a >= b for a, b in zip(values, values[1:]))  # never climbs


@pytest.mark.parametrize("kind", ["constant", "step", "cosine"])
def test_warm_up_climbs_linearly_then_hands_over(kind):
    schedule = Schedule(kind, 0.4, warmup=4, length=20, every=5)
    assert schedule.changes
    assert schedule.lr_at(0) == pytest.approx(0.4 * WARMUP_FLOOR)  # never 0: the first update counts
    assert schedule.lr_at(1) == pytest.approx(0.1)
    assert schedule.lr_at(2) == pytest.approx(0.2)
    assert schedule.lr_at(3.5) == pytest.approx(0.35)
    assert schedule.lr_at(4) == pytest.approx(0.4)  # the schedule proper starts at its base rate


def test_cosine_after_warm_up_ends_at_the_run_length():
    schedule = Schedule("cosine", 1.0, warmup=10, length=30)
    assert schedule.lr_at(20) == pytest.approx(0.5)
    assert schedule.lr_at(30) == pytest.approx(0.0, abs=1e-15)


def test_same_position_same_rate_bit_for_bit():
    a, b = Schedule("cosine", 0.03, warmup=3, length=77), Schedule("cosine", 0.03, warmup=3, length=77)
    positions = np.random.default_rng(0).uniform(0, 100, 500)
    assert [a.lr_at(t) for t in positions] == [b.lr_at(t) for t in positions]


@pytest.mark.parametrize("settings", [dict(kind="linear"), dict(lr=-1.0), dict(warmup=float("nan")),
                                      dict(length=-5), dict(every=True)])
def test_bad_settings_are_refused(settings):
    with pytest.raises(ValueError):
        Schedule(**{"kind": "constant", **settings})


def test_the_trainer_sets_the_rate_before_every_update():
    from nn_tui.config import RunConfig
    from nn_tui.kinds import get_kind
    from nn_tui.run_setup import prepare

    config = RunConfig.of(dataset="xor", layers=(4,), schedule="cosine", warmup=2, lr=0.1, epochs=6, batch_size=50)
    prepared = prepare(config)
    run = get_kind("mlp").build(prepared.config, prepared.dataset)
    seen = []
    step = run.optimizer.step
    run.optimizer.step = lambda net: (seen.append(run.optimizer.lr), step(net))
    for _ in range(6):
        run.run_epoch()
    per_epoch, rows = run.trainer.steps_per_epoch, len(run.trainer.x_train)
    schedule = Schedule("cosine", 0.1, warmup=2, length=6)  # at epochs done + the share of rows this one did
    assert seen == [schedule.lr_at(epoch + k * 50 / rows) for epoch in range(6) for k in range(per_epoch)]
    assert seen[0] < seen[per_epoch] < seen[2 * per_epoch] == 0.1 > seen[-1]
