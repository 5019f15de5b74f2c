"""The learner: a value network of the engine that scores afterstates (the board just
after a move, from the side of the player who made it: +1 a win, -1 a loss), picks moves
by it, optionally through a shallow search, and learns from games against itself.

Learning (one update per self-play game, the game's positions in one batch):
- TD(λ) targets computed backwards at the end of the game. The one-step target of an
  afterstate is minus the best value the opponent's next move could reach (a max over
  its options, which exploring does not bias); λ mixes in the longer return, and a
  trace is cut where the move after it was exploratory (Watkins).
- Each position enters the batch in its 8 symmetric images (the board's rotations and
  reflections), so one game teaches 8.
- ε-greedy exploration whose ε decays over the games played.
"""

from __future__ import annotations

import numpy as np

from nn_tui.engine import Network
from nn_tui.kinds.selfplay.game import (
    DRAW, EMPTY, SYMMETRIES, X, completes_line, encode, to_move, winner,
)


def make_value_net(hidden: tuple[int, ...], seed: int) -> Network:
    """27 inputs (own marks, opponent's, empty) -> hidden tanh layers -> one linear value
    (a tanh output saturated near ±1 and stopped learning: its slope there is ~0)."""
    return Network.mlp(27, hidden=list(hidden), n_out=1, activation="tanh", output="linear", loss="mse", seed=seed)


def net_values(net: Network, afterstates: list, mover: int) -> np.ndarray:
    """The network's value of each afterstate for `mover`, the player who made it."""
    boards = np.array(afterstates, dtype=np.float64)
    return net.forward(encode(boards, np.full(len(afterstates), float(mover))))[:, 0].copy()


def afterstate_values(net: Network, board, depth: int = 0) -> tuple[list[int], np.ndarray]:
    """The legal moves of `board` and each move's value for the player to move: exact on
    a finished board, else the network's, looked through `depth` more plies of minimax."""
    moves, values, _, _ = expand(net, board, depth)
    return moves, values


def expand(net: Network, board, depth: int = 0):
    """(moves, their values, the afterstates, which of them end the game)."""
    mover = to_move(board)
    moves = [i for i in range(9) if board[i] == EMPTY]
    full = len(moves) == 1  # the last move fills the board
    after, values, done, open_ = [], np.empty(len(moves)), [], []
    for k, cell in enumerate(moves):
        b = board[:cell] + (mover,) + board[cell + 1:]
        after.append(b)
        if completes_line(b, cell):
            values[k] = 1.0
        elif full:
            values[k] = 0.0
        else:
            open_.append(k)
            done.append(False)
            continue
        done.append(True)
    if open_:
        if depth <= 0:
            values[open_] = net_values(net, [after[k] for k in open_], mover)
        else:  # the opponent answers with its best, seen `depth - 1` plies further
            for k in open_:
                values[k] = -afterstate_values(net, after[k], depth - 1)[1].max()
    return moves, values, after, done


def greedy_move(net: Network, board, rng: np.random.Generator, depth: int = 0) -> int:
    """The best move by the network (ties broken at random)."""
    moves, values = afterstate_values(net, board, depth)
    best = np.flatnonzero(values >= values.max() - 1e-12)
    return moves[int(best[rng.integers(len(best))])] if len(best) > 1 else moves[int(best[0])]


def net_player(net: Network, depth: int = 0):
    return lambda board, rng: greedy_move(net, board, rng, depth)


def self_play_game(net: Network, rng: np.random.Generator, epsilon: float, td_lambda: float,
                   random_plies: int = 0):
    """Play one game of the network against itself, its first `random_plies` moves at
    random (exploring starts); returns (afterstates before the end, their TD(λ) targets,
    the winner)."""
    board = tuple([EMPTY] * 9)
    after, best, explored = [], [], []
    while True:
        moves, values, afterstates, done = expand(net, board)
        top = float(values.max())
        if len(after) < random_plies or rng.random() < epsilon:
            k = int(rng.integers(len(moves)))
            explored.append(True)
        else:
            ties = np.flatnonzero(values >= top - 1e-12)
            k = int(ties[rng.integers(len(ties))]) if len(ties) > 1 else int(ties[0])
            explored.append(False)
        board = afterstates[k]
        after.append(board)
        best.append(top)
        if done[k]:
            w = winner(board)
            break
    # Backwards from the end: G of the last afterstate is the game's result for its mover.
    n = len(after)
    last_mover = X if n % 2 == 1 else -X
    g = 1.0 if w not in (DRAW,) and w == last_mover else 0.0
    targets = np.empty(n - 1)
    for t in range(n - 2, -1, -1):
        if explored[t + 1]:
            g = -best[t + 1]
        else:
            g = -((1.0 - td_lambda) * best[t + 1] + td_lambda * g)
        targets[t] = g
    return after[:-1], targets, w


def symmetric_batch(afterstates: list, targets: np.ndarray, symmetries: bool) -> tuple[np.ndarray, np.ndarray]:
    """Network inputs and targets of a game's afterstates (each in its 8 images)."""
    boards = np.array(afterstates, dtype=np.float64)
    n = len(boards)
    # the player who made afterstate t: X on even t
    movers = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    if symmetries:
        boards = boards[:, SYMMETRIES].reshape(-1, 9)  # (n*8, 9): each board's 8 images in a row
        movers = np.repeat(movers, len(SYMMETRIES))
        targets = np.repeat(targets, len(SYMMETRIES))
    return encode(boards, movers), targets.reshape(-1, 1)
