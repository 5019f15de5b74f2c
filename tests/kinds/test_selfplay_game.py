"""Tic-tac-toe's rules, exact minimax and the board's symmetries (the self-play kind's
environment)."""

import numpy as np
import pytest

from nn_tui.kinds.selfplay.game import (
    DRAW, EMPTY_BOARD, LINES, O, SYMMETRIES, X, legal_moves, minimax, move_values, perfect_moves, perfect_player,
    play, play_game, random_player, to_move, winner,
)


def board(text: str) -> tuple[int, ...]:
    """'x.o/...': rows of x, o and . (empty)."""
    cells = text.replace("/", "")
    assert len(cells) == 9
    return tuple({"x": X, "o": O, ".": 0}[c] for c in cells)


def test_the_empty_board_is_a_draw_whatever_x_opens_with():
    assert minimax(EMPTY_BOARD) == 0
    assert set(move_values(EMPTY_BOARD).values()) == {0}


@pytest.mark.parametrize("text, value", [
    ("xx./oo./...", 1),    # X to move completes the top row
    ("xx./o../o..", 1),    # X to move wins at once (O's threat comes too late)
    ("x../.o./..x", 0),    # X to move; O in the centre holds
    ("xo./.../...", 1),    # O answered a corner with an adjacent edge: X wins by force
    ("x.o/.x./...", 0),    # O to move blocks the diagonal and then holds
    ("xx./o../...", -1),   # O to move: blocking at 3 still leaves X a fork (the centre)
    ("xox/oxo/x..", -1),   # X has won already (O to move): a loss for O
])
def test_minimax_values_of_known_positions(text, value):
    assert minimax(board(text)) == value


def test_perfect_moves_block_an_open_threat_and_take_a_win():
    assert perfect_moves(board("xx./oo./...")) == [2]          # X wins at once
    assert perfect_moves(board("xx./.o./...")) == [2]          # O must block
    assert move_values(board("x../.../..."))[4] == 0 and move_values(board("x../.../..."))[1] == -1


def test_perfect_play_never_loses_to_random_play():
    rng = np.random.default_rng(7)
    as_x = [play_game(perfect_player, random_player, rng) for _ in range(300)]
    as_o = [play_game(random_player, perfect_player, rng) for _ in range(300)]
    assert O not in as_x and X not in as_o
    assert as_x.count(X) > 250 and as_o.count(O) > 200  # and it wins most of them
    assert [play_game(perfect_player, perfect_player, rng) for _ in range(50)] == [DRAW] * 50


def test_the_rules():
    assert to_move(EMPTY_BOARD) == X and to_move(play(EMPTY_BOARD, 4)) == O
    assert winner(board("xxx/oo./...")) == X and winner(board("xox/xoo/oxx")) == DRAW
    assert winner(board("xo./.../...")) == 0 and legal_moves(board("xo./.../...")) == [2, 3, 4, 5, 6, 7, 8]
    with pytest.raises(ValueError):
        play(board("x../.../..."), 0)


def test_the_eight_symmetries_are_the_squares_rotations_and_reflections():
    images = {tuple(row) for row in SYMMETRIES}
    assert len(images) == 8 and tuple(range(9)) in images
    assert all(sorted(row) == list(range(9)) for row in SYMMETRIES)  # permutations
    for a in SYMMETRIES:  # a group: closed under composition
        for b in SYMMETRIES:
            assert tuple(a[b]) in images
    assert all(row[4] == 4 for row in SYMMETRIES)  # the centre stays
    line_sets = {frozenset(line) for line in LINES}
    for row in SYMMETRIES:  # lines go to lines
        assert {frozenset(int(row[i]) for i in line) for line in LINES} == line_sets
    quarter_turn = [list(row) for row in SYMMETRIES if list(row[[0, 1, 2]]) in ([6, 3, 0], [2, 5, 8])]
    assert quarter_turn  # a quarter turn is among them (top row from a side column)


def test_values_do_not_change_under_a_symmetry():
    rng = np.random.default_rng(3)
    for _ in range(200):
        b = EMPTY_BOARD
        for _ in range(int(rng.integers(0, 8))):
            if winner(b):
                break
            b = play(b, random_player(b, rng))
        for row in SYMMETRIES:
            image = tuple(b[i] for i in row)
            assert winner(image) == winner(b) and minimax(image) == minimax(b)
