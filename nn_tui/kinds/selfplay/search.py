"""Monte Carlo tree search guided by the value network: what AlphaGo added to its
networks, at tic-tac-toe's scale.

Each simulation walks down the tree from the position to play, picking at every node
the move with the best mean value plus a bonus for moves the search has tried little
(PUCT: the bonus grows with the parent's visits and the move's prior, and shrinks with
its own visits). The prior of a move is the network's own preference (a softmax of its
values), as AlphaGo's policy network gave its search one. Where the walk leaves the
tree, the new position is scored by the value network (a finished game by its result)
and that score is added, with alternating signs, to every position on the way back up.
The move played is the one visited most.

No randomness: the same network and board give the same visits, the same move. The
network's values of every position tic-tac-toe can reach (5,478) are computed in one
batch per network (`ValueTable`), so a simulation only looks them up.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from nn_tui.kinds.selfplay.agent import greedy_move, net_player
from nn_tui.kinds.selfplay.game import DRAW, EMPTY, EMPTY_BOARD, encode, legal_moves, play, to_move, winner

# Measured in bench/selfplay_tictactoe.py --search (seeds 0-4, the defaults' network after 10,000
# games): 800 simulations lost 0 of 1,000 games to perfect play where the network alone lost 253;
# 400 lost 37, 200 lost 97 (with uniform replay: 443 alone, 0 / 75 / 128). Priors at temperature
# 0.25 lost 14 with 800, 0.5 none (uniform replay).
SIMULATIONS = 800  # per move, when the search key switches it on
C_PUCT = 1.0  # the weight of the exploration bonus against the mean value (values are in [-1, 1])
PRIOR_TEMPERATURE = 0.5  # softmax temperature of the priors: lower trusts the network's favourite more


@functools.lru_cache(maxsize=1)
def reachable_positions() -> tuple[tuple[int, ...], ...]:
    """Every board legal play can reach, the empty one first (5,478)."""
    seen = {EMPTY_BOARD: None}
    frontier = [EMPTY_BOARD]
    while frontier:
        following = []
        for board in frontier:
            if winner(board):
                continue
            for cell in legal_moves(board):
                after = play(board, cell)
                if after not in seen:
                    seen[after] = None
                    following.append(after)
        frontier = following
    return tuple(seen)


@functools.lru_cache(maxsize=1)
def _open_positions() -> tuple[tuple, np.ndarray]:
    """The reachable positions a game goes on from (the empty board aside), and each
    one's network input from the side of the player who just moved into it."""
    positions = tuple(b for b in reachable_positions() if b != EMPTY_BOARD and not winner(b))
    boards = np.array(positions, dtype=np.float64)
    movers = np.array([-to_move(b) for b in positions], dtype=np.float64)
    inputs = encode(boards, movers)
    inputs.flags.writeable = False
    return positions, inputs


class ValueTable:
    """A position's value for the player who just moved into it: the result on a
    finished board (+1 win, 0 draw), else the network's; one forward pass for all."""

    def __init__(self, net) -> None:
        positions, inputs = _open_positions()
        self._values = dict(zip(positions, net.forward(inputs)[:, 0].tolist()))

    def __call__(self, board) -> float:
        value = self._values.get(board)
        if value is not None:
            return value
        return 0.0 if winner(board) == DRAW else 1.0  # only the player who just moved can have won


class Node:
    __slots__ = ("board", "prior", "value", "done", "visits", "total", "children")

    def __init__(self, board, prior: float, value: float, done: bool) -> None:
        self.board = board
        self.prior = prior
        self.value = value  # for the player who moved into it: the table's
        self.done = done
        self.visits = 0
        self.total = 0.0  # the sum of the values backed up through it (same side)
        self.children: list[Node] | None = None

    def mean(self) -> float:
        return self.total / self.visits if self.visits else self.value


def _expand(node: Node, values: ValueTable) -> None:
    board = node.board
    cells = [i for i in range(9) if board[i] == EMPTY]
    mover = to_move(board)
    afters = [board[:c] + (mover,) + board[c + 1:] for c in cells]
    scores = [values(a) for a in afters]
    top = max(scores)
    weights = [math.exp((s - top) / PRIOR_TEMPERATURE) for s in scores]
    norm = sum(weights)
    node.children = [Node(a, w / norm, s, winner(a) != 0) for a, w, s in zip(afters, weights, scores)]


def _pick(node: Node, c_puct: float) -> Node:
    scale = c_puct * math.sqrt(node.visits)
    best, best_score = None, -math.inf
    for child in node.children:
        score = child.mean() + scale * child.prior / (1 + child.visits)
        if score > best_score:  # the first of equals: no randomness
            best, best_score = child, score
    return best


def run_search(values: ValueTable, board, simulations: int, c_puct: float = C_PUCT) -> Node:
    """The root after `simulations` simulations from `board` (a game still going on)."""
    root = Node(tuple(board), 1.0, 0.0, False)
    _expand(root, values)
    for _ in range(simulations):
        path, node = [root], root
        while node.children is not None and not node.done:
            node = _pick(node, c_puct)
            path.append(node)
        if not node.done:
            _expand(node, values)
        value = node.value  # for the player who moved into `node`
        for visited in reversed(path):
            visited.visits += 1
            visited.total += value
            value = -value
    return root


def visit_counts(values: ValueTable, board, simulations: int) -> tuple[list[int], np.ndarray, int]:
    """(legal moves, each one's visits, the move the search plays) from `board`."""
    root = run_search(values, board, simulations)
    moves = [i for i in range(9) if board[i] == EMPTY]
    visits = np.array([child.visits for child in root.children])
    return moves, visits, moves[_most_visited(root)]


def _most_visited(root: Node) -> int:
    """The most visited move; among equals the one with the best mean, then the first."""
    best = max(range(len(root.children)), key=lambda k: (root.children[k].visits, root.children[k].mean(), -k))
    return best


def choose_move(net, board, rng, depth: int = 0, simulations: int = 0) -> int:
    """The network's move: through the tree search (`simulations` > 0), through `depth`
    plies of minimax, or its own greedy one."""
    if simulations:
        return visit_counts(ValueTable(net), board, simulations)[2]
    return greedy_move(net, board, rng, depth)


def player(net, depth: int = 0, simulations: int = 0):
    """A player (board, rng) -> cell for games with a network that does not change."""
    return search_player(net, simulations) if simulations else net_player(net, depth)


def search_player(net, simulations: int):
    """A player (board, rng) -> cell that searches with a fixed network; it remembers
    its move for each board (the search is deterministic), so measuring games repeat
    no work."""
    values = ValueTable(net)
    chosen: dict = {}

    def player(board, rng) -> int:
        if board not in chosen:
            chosen[board] = visit_counts(values, board, simulations)[2]
        return chosen[board]

    return player

