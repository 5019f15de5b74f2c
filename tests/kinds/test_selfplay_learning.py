"""The self-play learner: its TD(λ) targets, its search, that training improves its play,
same seed same numbers, and a resumed run continuing bit for bit."""

import copy

import numpy as np

from nn_tui.config import RunConfig
from nn_tui.kinds.selfplay.agent import afterstate_values, make_value_net, self_play_game, symmetric_batch
from nn_tui.kinds.selfplay.game import DRAW, EMPTY_BOARD, SYMMETRIES, X, move_values, play, winner
from nn_tui.kinds.selfplay.spec import SelfPlaySpec
from nn_tui.kinds.selfplay.train import PRIORITY_FLOOR, Learner, epsilon_at, evaluate
from nn_tui.run_setup import prepare


def test_with_lambda_one_and_no_exploration_the_targets_are_the_games_result():
    net = make_value_net((8,), seed=1)
    after, targets, w = self_play_game(net, np.random.default_rng(0), epsilon=0.0, td_lambda=1.0)
    n = len(after) + 1  # the last (finished) afterstate has no target
    result_for_last_mover = 0.0 if w == DRAW else 1.0
    expected = [result_for_last_mover * (-1) ** (n - 1 - t) for t in range(n - 1)]
    assert winner(after[-1]) == 0 and np.allclose(targets, expected)


def test_with_lambda_zero_a_target_is_minus_the_opponents_best_next_value():
    net = make_value_net((8,), seed=2)
    after, targets, _ = self_play_game(net, np.random.default_rng(1), epsilon=0.0, td_lambda=0.0)
    for t, b in enumerate(after):
        _, values = afterstate_values(net, b)
        assert np.isclose(targets[t], -values.max())


def test_a_game_enters_the_batch_in_its_eight_images():
    after = [play(EMPTY_BOARD, 0), play(play(EMPTY_BOARD, 0), 5)]
    inputs, targets = symmetric_batch(after, np.array([0.25, -0.5]), symmetries=True)
    assert inputs.shape == (16, 27) and list(targets[:8, 0]) == [0.25] * 8 and list(targets[8:, 0]) == [-0.5] * 8
    # the X afterstate (X's view): X's own marks are the corner's 8 images (4 corners)
    own = inputs[:8, :9]
    assert {int(np.flatnonzero(row)[0]) for row in own} == {0, 2, 6, 8}
    # the O afterstate is seen from O's side: its own mark is the edge, X's the corner
    assert all(row[:9].sum() == 1 and row[9:18].sum() == 1 for row in inputs[8:])
    assert SYMMETRIES.shape == (8, 9)
    plain, _ = symmetric_batch(after, np.array([0.25, -0.5]), symmetries=False)
    assert plain.shape == (2, 27)


def test_search_to_the_end_of_the_game_is_exact_whatever_the_network():
    net = make_value_net((4,), seed=3)  # untrained
    opening = play(play(play(EMPTY_BOARD, 0), 1), 4)
    for b in (opening, play(opening, 8), play(opening, 7), play(play(opening, 7), 2)):
        moves, values = afterstate_values(net, b, depth=8)  # the search stops at the game's end
        assert dict(zip(moves, values.tolist())) == {k: float(v) for k, v in move_values(b).items()}


def test_epsilon_decays_from_start_to_end():
    assert epsilon_at(0, 0.3, 0.05, 1000) == 0.3
    assert abs(epsilon_at(1000, 0.3, 0.05, 1000) - 0.05) < 0.01 * 0.25
    assert epsilon_at(10, 0.3, 0.05, 0) == 0.05


def _losses(measured):
    return sum(side["loss"] for opponent in measured.values() for side in opponent.values())


def test_a_short_training_improves_play():
    learner = Learner(SelfPlaySpec(), "adam", 0.001, seed=0)
    before = evaluate(learner.net, seed=0, games=50)
    for _ in range(6_000):  # about 3 s of CPU; play is erratic for the first two thousand games
        learner.play_one()
    after = evaluate(learner.net, seed=0, games=50)
    assert _losses(after) < _losses(before) / 2, (before, after)
    assert after["vs_perfect"]["as_x"]["loss"] == 0 and before["vs_perfect"]["as_x"]["loss"] > 0


def _run(seed=0, **spec):
    config = RunConfig.of(model="selfplay", seed=seed, games_per_epoch=150, **spec)
    prepared = prepare(config)
    return prepared.kind.build(prepared.config, prepared.dataset, None)


def test_same_seed_same_numbers():
    a, b, c = _run(seed=4), _run(seed=4), _run(seed=5)
    for run in (a, b, c):
        run.run_epoch()
    assert np.array_equal(a.model.flat_params, b.model.flat_params)
    assert a.scores() == b.scores()
    assert not np.array_equal(a.model.flat_params, c.model.flat_params)


def test_a_resumed_run_continues_bit_for_bit():
    a = _run(seed=2)
    a.run_epoch()
    a.train_steps(40)  # in the middle of an epoch
    saved = a.state()
    b = _run(seed=2)
    b.restore(saved)
    for run in (a, b):
        run.run_epoch()
        run.run_epoch()
    assert a.epoch == b.epoch == 3 and a.step == b.step
    assert np.array_equal(a.model.flat_params, b.model.flat_params)
    assert a.scores() == b.scores()


def test_replay_keeps_recent_rows_in_a_ring_and_trains_on_them_again():
    learner = Learner(SelfPlaySpec(replay_size=100, replay_batch=16), "adam", 0.001, seed=0)
    for _ in range(30):
        learner.play_one()
    assert learner.replay_filled == 100 and 0 <= learner.replay_next < 100
    assert np.all(learner.replay_x.sum(axis=1) == 9)  # every kept row is a real position (9 cells)
    off = Learner(SelfPlaySpec(replay_size=0), "adam", 0.001, seed=0)
    off.play_one()
    assert off.replay_filled == 0


def test_the_learning_rate_falls_to_a_tenth_when_asked():
    learner = Learner(SelfPlaySpec(lr_decay_games=100), "adam", 0.01, seed=0)
    assert learner.lr_now() == 0.01
    learner.games = 50
    assert np.isclose(learner.lr_now(), 0.01 * 0.55)
    learner.games = 1000
    assert np.isclose(learner.lr_now(), 0.001)


def test_prioritised_replay_brings_back_the_rows_the_network_gets_wrong():
    learner = Learner(SelfPlaySpec(replay_size=100, replay_batch=4000, replay_priority=1.0), "adam", 0.001, seed=0)
    for _ in range(30):
        learner.play_one()
    filled = learner.replay_filled
    learner.replay_p[:filled] = 0.01
    learner.replay_p[7] = 10.0  # one row still badly wrong: about 10 / 10.99 of the picks
    picks = learner._replay_picks()
    assert 0.85 < np.mean(picks == 7) < 0.95 and picks.max() < filled
    uniform = Learner(SelfPlaySpec(replay_size=100, replay_batch=4000, replay_priority=0.0), "adam", 0.001, seed=0)
    for _ in range(30):
        uniform.play_one()
    uniform.replay_p[7] = 10.0  # priorities are ignored when replay_priority is 0
    assert np.mean(uniform._replay_picks() == 7) < 0.05


def test_a_new_rows_priority_is_the_networks_error_on_it_before_the_step():
    learner = Learner(SelfPlaySpec(replay_size=500, replay_batch=32, replay_priority=1.0), "adam", 0.001, seed=1)
    for _ in range(5):
        learner.play_one()
    before = copy.deepcopy(learner.net)
    start = learner.replay_next
    learner.play_one()
    rows = np.arange(start, learner.replay_next)
    assert len(rows) >= 8 * 4  # a game's positions, each in its 8 images
    errors = np.abs(before.forward(learner.replay_x[rows])[:, 0] - learner.replay_y[rows, 0])
    assert np.allclose(learner.replay_p[rows], errors + PRIORITY_FLOOR)
    assert not np.allclose(learner.replay_p[rows], learner.replay_p[rows][0])  # not all alike
