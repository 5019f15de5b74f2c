"""The self-play kind's Monte Carlo tree search: its visits, its moves, that it is the
same every time, that it needs no luck to find a won or lost game's end, and that it
makes an early network lose less (the issue's "what AlphaGo added")."""

import json
import os
import subprocess
import sys

import numpy as np

from nn_tui.kinds.selfplay.agent import make_value_net
from nn_tui.kinds.selfplay.game import EMPTY_BOARD, X, legal_moves, minimax, play, winner
from nn_tui.kinds.selfplay.search import (
    ValueTable, choose_move, reachable_positions, run_search, search_player, visit_counts,
)
from nn_tui.kinds.selfplay.spec import SelfPlaySpec
from nn_tui.kinds.selfplay.train import Learner, evaluate


def board(text):
    """'xo./.x./..o' -> a board tuple (x X, o O, . empty), row by row."""
    return tuple({"x": 1, "o": -1, ".": 0}[c] for c in text.replace("/", ""))


def test_tic_tac_toe_reaches_5478_positions_and_the_table_knows_each():
    positions = reachable_positions()
    assert len(positions) == 5478 and positions[0] == EMPTY_BOARD
    net = make_value_net((8,), seed=0)
    table = ValueTable(net)
    won = board("xxx/oo./...")
    drawn = board("xox/xoo/oxx")
    assert table(won) == 1.0 and table(drawn) == 0.0
    open_ = board("x../.o./...")
    inputs_value = float(net.forward(np.array([[0, 0, 0, 0, 1, 0, 0, 0, 0,  # O's own marks (O just moved)
                                                 1, 0, 0, 0, 0, 0, 0, 0, 0,  # X's
                                                 0, 1, 1, 1, 0, 1, 1, 1, 1]], float))[0, 0])
    assert np.isclose(table(open_), inputs_value)


def test_every_simulation_passes_through_one_move_and_the_same_board_gives_the_same_visits():
    net = make_value_net((16,), seed=1)
    table = ValueTable(net)
    b = board("x../.o./...")
    moves, visits, move = visit_counts(table, b, 300)
    assert moves == legal_moves(b) and visits.sum() == 300
    again = visit_counts(ValueTable(make_value_net((16,), seed=1)), b, 300)
    assert again[0] == moves and np.array_equal(again[1], visits) and again[2] == move
    assert move == moves[int(np.argmax(visits))]


def test_the_search_takes_a_win_and_blocks_a_loss_whatever_the_network():
    for seed in range(3):
        net = make_value_net((8,), seed=seed)  # untrained: its values are noise
        win_now = board("xx./oo./...")  # X to move wins at cell 3 (index 2)
        assert choose_move(net, win_now, None, simulations=200) == 2
        block = board("xx./o../..o")  # O to move must take cell 3 (index 2)
        assert choose_move(net, block, None, simulations=200) == 2


def test_with_enough_simulations_its_move_keeps_the_exact_value_from_every_midgame_position():
    net = make_value_net((8,), seed=5)
    table = ValueTable(net)
    midgame = [b for b in reachable_positions() if not winner(b) and sum(1 for c in b if c) == 4]
    for b in midgame[::6]:  # five empty cells: at most 325 positions ahead
        _, _, move = visit_counts(table, b, 1500)
        assert -minimax(play(b, move)) == minimax(b), b  # no worse than perfect play
    assert len(midgame[::6]) > 100


def test_the_root_keeps_the_backed_up_values_in_the_movers_sign():
    net = make_value_net((8,), seed=2)
    root = run_search(ValueTable(net), board("xx./oo./..."), 100)
    best = max(root.children, key=lambda child: child.visits)
    assert winner(best.board) == X and best.mean() == 1.0  # every visit of the win backs up +1


def test_search_player_remembers_its_moves_for_measuring_games():
    net = make_value_net((8,), seed=0)
    player = search_player(net, 50)
    b = board("x../.o./...")
    assert player(b, None) == player(b, None) == visit_counts(ValueTable(net), b, 50)[2]


def test_at_an_early_checkpoint_the_same_network_loses_less_with_the_search():
    learner = Learner(SelfPlaySpec(), "adam", 0.0005, seed=0)
    for _ in range(4_000):  # seed 0: the network alone still loses as O (bench --search has 5 seeds)
        learner.play_one()
    alone = evaluate(learner.shown, seed=0, games=50)
    searched = evaluate(learner.shown, seed=0, games=50, simulations=800)
    lost = lambda m: m["vs_perfect"]["as_x"]["loss"] + m["vs_perfect"]["as_o"]["loss"]  # noqa: E731
    assert lost(alone) > 0 and lost(searched) < lost(alone), (alone, searched)


def nn_tui(*args):
    return subprocess.run([sys.executable, "-m", "nn_tui", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.getcwd()})


def test_train_takes_mcts_and_refuses_two_searches_at_once():
    done = nn_tui("train", "--model", "selfplay", "--epochs", "1", "--games-per-epoch", "20", "--mcts", "30",
                  "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["mcts"] == 30
    for args, says in ((("--mcts", "-1"), "--mcts must be"), (("--mcts", "20001"), "--mcts must be"),
                       (("--mcts", "10", "--search-depth", "2"), "one search at a time")):
        bad = nn_tui("train", "--model", "selfplay", "--epochs", "1", *args)
        assert bad.returncode == 2 and says in bad.stderr and len(bad.stderr.strip().splitlines()) == 1, bad.stderr
