"""Tic-tac-toe: the rules, exact minimax and the board's eight symmetries (NumPy and the
standard library only; the agent's environment is its data and lives with its kind).

A board is a tuple of 9 cells, row by row: 1 for X, -1 for O, 0 empty. X moves first, so
whose turn it is follows from the board. Cells are numbered 0..8 here; the screen and the
keys number them 1..9.
"""

from __future__ import annotations

import functools

import numpy as np

X, O, EMPTY = 1, -1, 0
DRAW = 2  # winner(): 0 while the game goes on
EMPTY_BOARD: tuple[int, ...] = (0,) * 9
LINES = ((0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (2, 4, 6))


# The lines through each cell: a move can only win by one of these (a fast check).
LINES_THROUGH = tuple(tuple(line for line in LINES if cell in line) for cell in range(9))


def completes_line(board, cell: int) -> bool:
    """Did the mark in `cell` complete a line through it?"""
    mark = board[cell]
    return any(board[a] == mark and board[b] == mark and board[c] == mark for a, b, c in LINES_THROUGH[cell])


def _symmetries() -> np.ndarray:
    """(8, 9): row k maps a board to its k-th image, image[i] = board[SYMMETRIES[k, i]]."""
    grid = np.arange(9).reshape(3, 3)
    images = []
    for flip in (False, True):
        g = grid.T if flip else grid
        for turns in range(4):
            images.append(np.rot90(g, turns).ravel())
    return np.array(images)


SYMMETRIES = _symmetries()


def to_move(board) -> int:
    """Whose turn it is: X when the counts are equal."""
    return X if sum(1 for c in board if c != EMPTY) % 2 == 0 else O


def winner(board) -> int:
    """X or O when a line is full of one, DRAW when the board is full, else 0."""
    for a, b, c in LINES:
        if board[a] != EMPTY and board[a] == board[b] == board[c]:
            return board[a]
    return 0 if EMPTY in board else DRAW


def legal_moves(board) -> list[int]:
    return [i for i in range(9) if board[i] == EMPTY]


def play(board, cell: int) -> tuple[int, ...]:
    """The board after the player to move takes `cell` (which must be empty)."""
    if board[cell] != EMPTY:
        raise ValueError(f"cell {cell + 1} is taken")
    return board[:cell] + (to_move(board),) + board[cell + 1:]


def outcome_for(board, player: int) -> float | None:
    """+1 / 0 / -1 for `player` on a finished board, None while the game goes on."""
    w = winner(board)
    if w == 0:
        return None
    return 0.0 if w == DRAW else (1.0 if w == player else -1.0)


@functools.lru_cache(maxsize=None)
def minimax(board: tuple[int, ...]) -> int:
    """The exact value of `board` for the player to move: +1 win, 0 draw, -1 loss."""
    w = winner(board)
    if w == DRAW:
        return 0
    if w != 0:
        return -1  # the player who just moved won
    return max(-minimax(play(board, cell)) for cell in legal_moves(board))


def move_values(board) -> dict[int, int]:
    """Each legal move's exact value for the player to move."""
    return {cell: -minimax(play(board, cell)) for cell in legal_moves(board)}


def perfect_moves(board) -> list[int]:
    """The moves that keep the best value (perfect play picks among them)."""
    values = move_values(board)
    best = max(values.values())
    return [cell for cell, v in values.items() if v == best]


def perfect_player(board, rng: np.random.Generator) -> int:
    """Perfect play choosing at random among its best moves."""
    moves = perfect_moves(board)
    return moves[int(rng.integers(len(moves)))]


def random_player(board, rng: np.random.Generator) -> int:
    moves = legal_moves(board)
    return moves[int(rng.integers(len(moves)))]


def play_game(x_player, o_player, rng: np.random.Generator) -> int:
    """One game between two players (board, rng) -> cell; returns X, O or DRAW."""
    board = EMPTY_BOARD
    while True:
        mover = x_player if to_move(board) == X else o_player
        board = play(board, mover(board, rng))
        w = winner(board)
        if w:
            return w


def encode(boards: np.ndarray, mover: np.ndarray) -> np.ndarray:
    """Network inputs (N, 27) from the side of the player who just moved (`mover`, one
    per board): its marks, the opponent's marks, empty cells. X and O share the net."""
    own = boards * mover[:, None]
    return np.concatenate([own == 1, own == -1, own == 0], axis=1).astype(np.float64)
