"""The exact check at checkpoints of one self-play run, in one process: does a setting hold
late in training, or flicker? (bench/selfplay_tictactoe_results.txt, "Why the margin was missing")

    python bench/selfplay_checkpoints.py 3                                # the defaults, seed 3
    python bench/selfplay_checkpoints.py 3 '{"replay_priority": 0.0}'    # a setting changed

Prints, at 60k, 64k, ..., 80k games (the last 20,000 of --games), the blunder positions vs
perfect play as X/O (0: it cannot lose, whatever the tie-breaks), the training CPU, and the
positions as O it still gets wrong at the end (board, its choice, its values, the exact ones).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.selfplay_tictactoe import blunders  # noqa: E402
from nn_tui.kinds.selfplay.agent import afterstate_values  # noqa: E402
from nn_tui.kinds.selfplay.game import (EMPTY_BOARD, O, X, move_values, perfect_moves, play,  # noqa: E402
                                        to_move, winner)
from nn_tui.kinds.selfplay.spec import SelfPlaySpec  # noqa: E402
from nn_tui.kinds.selfplay.train import Learner  # noqa: E402


def wrong_positions(net, side: int) -> list:
    """The positions of the exact check's walk where the network's move throws value away."""
    found, seen, stack = [], set(), [EMPTY_BOARD]
    while stack:
        board = stack.pop()
        if board in seen or winner(board):
            continue
        seen.add(board)
        if to_move(board) == side:
            moves, values = afterstate_values(net, board)
            chosen = [moves[k] for k in range(len(moves)) if values[k] >= values.max() - 1e-12]
            exact = move_values(board)
            if any(exact[m] < max(exact.values()) for m in chosen):
                found.append((board, chosen, {m: round(float(v), 3) for m, v in zip(moves, values)}, exact))
            stack.extend(play(board, m) for m in chosen)
        else:
            stack.extend(play(board, m) for m in perfect_moves(board))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seed", type=int)
    parser.add_argument("changes", nargs="?", default="{}", help="spec fields as JSON; also lr and games")
    args = parser.parse_args()
    changes = json.loads(args.changes)
    lr, games = changes.pop("lr", 0.0005), changes.pop("games", 80_000)
    learner = Learner(SelfPlaySpec().replace(**changes), "adam", lr, args.seed)
    counts, cpu = [], 0.0
    for checkpoint in range(games - 20_000, games + 1, 4_000):
        start = time.process_time()
        while learner.games < checkpoint:
            learner.play_one()
        cpu += time.process_time() - start
        counts.append(f"{blunders(learner.shown, X, 'perfect')}/{blunders(learner.shown, O, 'perfect')}")
    print(f"seed {args.seed}\t{' '.join(counts)}\ttrain CPU {cpu:.1f} s\t{wrong_positions(learner.shown, O)}")


if __name__ == "__main__":
    main()
