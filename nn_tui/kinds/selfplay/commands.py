"""What a person can ask of a self-play run: play a move, start a game, change sides,
switch the search on and off."""

from __future__ import annotations

import numpy as np

from nn_tui.kinds.selfplay.search import SIMULATIONS


def _rng(session):
    # the person's games draw from a generator of their own: training's stays untouched
    run = session.training_run
    if getattr(run, "_match_rng", None) is None:
        run._match_rng = np.random.default_rng([run.config.train.seed, 0x9A3E])
    return run._match_rng


def human_move(session, cell: int) -> None:
    run = session.training_run
    run.match.human_move(int(cell), run.model, run.spec, _rng(session))


def new_game(session) -> None:
    run = session.training_run
    run.match.new_game(run.model, run.spec, _rng(session))


def switch_sides(session) -> None:
    """Who starts: the person plays the other side in a new game."""
    run = session.training_run
    run.match.human = -run.match.human
    new_game(session)


def toggle_search(session) -> None:
    """The Monte Carlo tree search on (SIMULATIONS per move) or off; a look-ahead set
    by --search-depth is switched off too."""
    run = session.training_run
    on = run.spec.mcts or run.spec.search_depth
    run.set_spec(mcts=0 if on else SIMULATIONS, search_depth=0)
    session.config = run.config  # a rebuild keeps it (the session scores again: through the search or not)


COMMANDS = {"human_move": human_move, "new_game": new_game, "switch_sides": switch_sides,
            "toggle_search": toggle_search}
