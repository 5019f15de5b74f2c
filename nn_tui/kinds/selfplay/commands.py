"""What a person can ask of a self-play run: play a move, start a game, change sides,
switch the search on and off."""

from __future__ import annotations

import numpy as np

SEARCH_ON_DEPTH = 2  # the search key's look-ahead (plies beyond the network's own)


def _rng(session):
    # the person's games draw from a generator of their own: training's stays untouched
    run = session.training_run
    if getattr(run, "_match_rng", None) is None:
        run._match_rng = np.random.default_rng([run.config.train.seed, 0x9A3E])
    return run._match_rng


def human_move(session, cell: int) -> None:
    run = session.training_run
    run.match.human_move(int(cell), run.model, run.spec.search_depth, _rng(session))


def new_game(session) -> None:
    run = session.training_run
    run.match.new_game(run.model, run.spec.search_depth, _rng(session))


def switch_sides(session) -> None:
    """Who starts: the person plays the other side in a new game."""
    run = session.training_run
    run.match.human = -run.match.human
    new_game(session)


def toggle_search(session) -> None:
    run = session.training_run
    depth = 0 if run.spec.search_depth else SEARCH_ON_DEPTH
    run.set_spec(search_depth=depth)
    session.config = run.config  # a rebuild keeps it


COMMANDS = {"human_move": human_move, "new_game": new_game, "switch_sides": switch_sides,
            "toggle_search": toggle_search}
