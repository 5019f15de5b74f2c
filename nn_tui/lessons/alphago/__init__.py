"""Lesson 13: reinforcement learning, from a gridworld to AlphaGo's recipe.

Two of nn-tui's kinds, on their own defaults: a DQN agent in the 10×10 gridworld
(rewards, values spreading back from the goal, exploration, a world the learner
edits) and a value network that learns tic-tac-toe by playing itself, with the
Monte Carlo tree search AlphaGo added to its networks, and a game against it.

The claims train the lesson's own runs (``nn_tui.lessons.kind_runs``: the kinds'
Run, as the screen shows it), seed 0, in about 25 s of CPU. Measured over seeds
0-4: the DQN's walks reach the goal from 0-9 % of the cells before training and
96-100 % after 300 episodes, 0-7 % with ε 0 (400 episodes); after 100 episodes
the greedy move is right in 79-93 % of the cells within 4 steps of the goal and
29-69 % of those 10 or more away. Making cell (3, 4) cost 0.5 after 400 episodes
halves the return on seeds 0, 1 and 4 (0.88 -> 0.43; the walks of seeds 2 and 3
pass elsewhere); seeds 0 and 1 are back at 0.88 within 50 episodes, seed 4 not
in 150; on seed 0 (the lesson's) within 25-50 wherever from 320 to 500 episodes
the edit comes. The self-play network after 10,000 games loses 28-67 of 200
games to perfect play alone and 0 through the search (bench/selfplay_tictactoe.py
--search).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from nn_tui.kinds.dqn.gridworld import DEFAULT_LAYOUT, DEFAULT_REWARDS, FREE, GOAL, parse_layout
from nn_tui.kinds.dqn.views import GridView
from nn_tui.kinds.selfplay.game import winner
from nn_tui.kinds.selfplay.views import BoardView
from nn_tui.kinds.selfplay.search import SIMULATIONS, reachable_positions
from nn_tui.lessons.kind_runs import build_run
from nn_tui.lessons.lesson import (
    READ_ONLY, ClaimResult, Lesson, Step, at_least, epochs_trained, equals,
)

WORLD = {"model": "dqn", "dataset": "gridworld", "seed": 0}  # the kind's defaults
NO_EXPLORING = {**WORLD, "eps_start": 0.0, "eps_end": 0.0}  # never a random move
GAMES_PER_EPOCH = 500  # the self-play run's epoch: a point of the curves every 500 games
SELF_PLAY = {"model": "selfplay", "dataset": "tictactoe", "seed": 0, "games_per_epoch": GAMES_PER_EPOCH}
EARLY_GAMES = 10_000  # the checkpoint where the network alone still loses to perfect play
COST_CELL = (3, 4)  # beside the goal, on the walks of most cells into the room
COST_CELL_REWARD = -0.5  # what entering it costs once the learner presses [ five times
WORLD_PACE = 25  # episodes a second on screen: the first 100 in four seconds
SELF_PLAY_PACE = 2  # epochs of 500 games a second: 10,000 games in ten seconds


# ------------------------------------------------------------------ the gridworld
@lru_cache(maxsize=8)
def _dqn(settings: tuple, episodes: int, edits: tuple = (), more: int = 0):
    """A DQN run after `episodes` episodes; then `edits` ((row, col, kind, reward), ...) made
    to its world and `more` episodes. Returns (scores before the edits, right after,
    at the end, the run)."""
    run = build_run(**dict(settings))
    for _ in range(episodes):
        run.run_epoch()
    before = run.scores()
    world = run.world
    for row, col, kind, reward in edits:
        world = world.with_cell(row, col, kind, reward=reward)
    if edits:
        run.set_world(world)
    edited = run.scores()
    for _ in range(more):
        run.run_epoch()
    return before, edited, run.scores(), run


def _pairs(settings: dict) -> tuple:
    return tuple(sorted(settings.items()))


def steps_to_goal(world) -> np.ndarray:
    """Moves from each cell to the nearest goal (through free cells; inf where none)."""
    steps = np.full(world.n_cells, np.inf)
    frontier = list(np.flatnonzero(world.cells.ravel() == GOAL))
    steps[frontier] = 0
    while frontier:
        following = []
        for cell in frontier:
            for before in np.flatnonzero((world.next_cell == cell).any(axis=1) & world.free):
                if before != cell and steps[before] == np.inf:
                    steps[before] = steps[cell] + 1
                    following.append(before)
        frontier = following
    return steps


def knows_nothing(seed: int = 0, most: float = 0.1):
    before, _, _, _ = _dqn(_pairs({**WORLD, "seed": seed}), 0)
    value = before["success_rate"]
    return ClaimResult(f"before training the agent knows nothing: its greedy walks reach the goal from under "
                       f"{most:.0%} of the free cells", value, value < most)


def values_spread_back(seed: int = 0, episodes: int = 100, near: int = 4, far: int = 10):
    *_, run = _dqn(_pairs({**WORLD, "seed": seed}), episodes)
    world, policy = run.world, run.agent.greedy_policy()
    free = world.free_cells
    right = run.exact()[1][free, policy[free]]
    steps = steps_to_goal(world)[free]
    value = {"near_right": float(right[steps <= near].mean()), "far_right": float(right[steps >= far].mean())}
    return ClaimResult(f"values spread back from the goal: after {episodes} episodes the greedy move is the best one "
                       f"in a larger share of the cells within {near} steps of the goal than of those {far} or more "
                       f"away", value, value["near_right"] > value["far_right"])


def exploring_matters(seed: int = 0, episodes: int = 300, found: float = 0.9, lost: float = 0.1):
    _, _, exploring, _ = _dqn(_pairs({**WORLD, "seed": seed}), episodes)
    _, _, greedy, _ = _dqn(_pairs({**NO_EXPLORING, "seed": seed}), episodes)
    value = {"success_exploring": exploring["success_rate"], "success_epsilon_0": greedy["success_rate"]}
    return ClaimResult(f"why explore: after {episodes} episodes the agent with ε falling from 1 to 0.05 reaches the "
                       f"goal from at least {found:.0%} of the cells, the same agent with ε 0 from under {lost:.0%}",
                       value, value["success_exploring"] >= found and value["success_epsilon_0"] < lost)


def policy_follows(seed: int = 0, episodes: int = 400, more: int = 50, cost: float = COST_CELL_REWARD,
                   within: float = 0.05):
    row, col = COST_CELL
    settings = _pairs({**WORLD, "seed": seed})
    before, edited, after, _ = _dqn(settings, episodes, ((row, col, FREE, cost),), more)
    value = {"return_before": before["mean_return"], "return_with_the_cost": edited["mean_return"],
             "return_after": after["mean_return"]}
    return ClaimResult(f"a reward you change: entering cell ({row}, {col}), beside the goal, made to cost "
                       f"{-cost:g}, lowers the trained agent's return (its walks go through it), and {more} more "
                       f"episodes bring it back within {within:g} of before: the policy follows the reward", value,
                       value["return_with_the_cost"] < value["return_before"] - 0.2
                       and value["return_after"] >= value["return_before"] - within)


# ------------------------------------------------------------------ self-play
@lru_cache(maxsize=4)
def _self_play(seed: int, games: int):
    """The lesson's self-play run after `games` games (whole epochs of 500)."""
    run = build_run(**{**SELF_PLAY, "seed": seed})
    for _ in range(games // GAMES_PER_EPOCH):
        run.run_epoch()
    return run


def _losses(run, simulations: int) -> dict:
    """Games lost to perfect play (of 100 as X and 100 as O), and to the random player,
    as the screen measures them, alone (0) or through `simulations` of the search."""
    run.set_spec(mcts=simulations)
    measured = run.measured()
    run.set_spec(mcts=0)
    return {"perfect": measured["vs_perfect"]["as_x"]["loss"] + measured["vs_perfect"]["as_o"]["loss"],
            "random": measured["vs_random"]["as_x"]["loss"] + measured["vs_random"]["as_o"]["loss"]}


def self_play_learns(seed: int = 0, games: int = EARLY_GAMES):
    start, trained = _losses(_self_play(seed, 0), 0), _losses(_self_play(seed, games), 0)
    value = {"lost_to_perfect_at_start": start["perfect"], f"lost_to_perfect_after_{games}": trained["perfect"],
             "lost_to_random_at_start": start["random"], f"lost_to_random_after_{games}": trained["random"]}
    return ClaimResult(f"self-play alone, no human games: after {games:,} games against itself the network loses "
                       f"fewer of 200 games to perfect play, and fewer of 200 to a random player, than before", value,
                       trained["perfect"] < start["perfect"] and trained["random"] < start["random"])


def search_loses_less(seed: int = 0, games: int = EARLY_GAMES, simulations: int = SIMULATIONS):
    run = _self_play(seed, games)
    value = {"lost_alone": _losses(run, 0)["perfect"], "lost_with_search": _losses(run, simulations)["perfect"]}
    return ClaimResult(f"what the search adds: after {games:,} games the network alone still loses games to perfect "
                       f"play; the same network through {simulations} simulations of Monte Carlo tree search per move "
                       f"loses none of 200", value,
                       0 < value["lost_alone"] and value["lost_with_search"] == 0)


def search_needs_the_network(seed: int = 0, games: int = EARLY_GAMES, simulations: int = SIMULATIONS):
    value = {"lost_untrained_with_search": _losses(_self_play(seed, 0), simulations)["perfect"],
             "lost_trained_with_search": _losses(_self_play(seed, games), simulations)["perfect"]}
    return ClaimResult(f"the search needs the network: the same {simulations}-simulation search guided by the "
                       f"untrained network loses more games to perfect play than guided by the one trained "
                       f"{games:,} games", value,
                       value["lost_untrained_with_search"] > value["lost_trained_with_search"])


def positions_of_tic_tac_toe(count: int = 5478):
    value = len(reachable_positions())
    return ClaimResult(f"tic-tac-toe has {count:,} positions legal play can reach (the empty board included)",
                       value, value == count)


# ------------------------------------------------------------------ the screen's values
_DEFAULT_CELLS = parse_layout(DEFAULT_LAYOUT)
_DEFAULT_REWARDS = np.vectorize(DEFAULT_REWARDS.get, otypes=[float])(_DEFAULT_CELLS)


def cells_changed(view) -> int:
    """Cells whose kind or reward differs from the default world (a GridView)."""
    return int(np.sum((view.cells != _DEFAULT_CELLS) | (view.rewards != _DEFAULT_REWARDS)))


def game_over(view) -> bool:
    return winner(tuple(int(c) for c in view.board)) != 0


_PHONE_PAD = "1 2 3 along the top row, 4 5 6 the middle, 7 8 9 the bottom"

LESSON = Lesson(
    name="alphago",
    title="Reinforcement learning: from rewards to AlphaGo",
    summary="An agent learns a gridworld from rewards; a network learns tic-tac-toe by self-play, a search helps it.",
    steps=(
        Step("No examples, no answers: an agent acts and gets rewards. In this 10×10 world the goal G pays +1, a "
             "pit P −1, every move costs 0.01. It starts knowing nothing. A cell's colour is its value (the most "
             "reward its network expects from there, blue +, orange −), its arrow the move it would make (red: not "
             "the best). Press Space: the values spread back from the goal, nearest cells first.",
             equals("run", "gridworld") & epochs_trained(100), keys=("space",)),
        Step("Why explore: with chance ε it makes a random move (ε falls from 1 to 0.05; the status line shows it), "
             "else its best-looking one. Press e for the same agent with ε 0, which only ever tries what it "
             "already believes in, and train it 150 episodes: its success (the share of cells whose walk "
             "reaches the goal) stays near 0 %.",
             equals("run", "no_exploring") & epochs_trained(150), keys=("e", "space")),
        Step("Press w for the exploring agent again (it starts afresh) and train until success is 100 % and "
             "optimal at least 95 % (the share of cells where its move is the best, by value iteration's exact "
             "answer).", equals("run", "gridworld") & at_least("success_rate", 1.0) & at_least("optimal_share", 0.95),
             keys=("w", "space")),
        Step("A reward you change: move the cursor with the arrows to cell (3, 4), just right of the goal (↓ three "
             "times, → four times; the cursor is the cell in brackets), and press [ five times: entering it "
             "now costs 0.5. The walks through it pay that, and the return drops. Train on and watch the policy "
             "follow: orange spreads over the cell, the arrows bend past it, the return climbs back.",
             equals("run", "gridworld") & at_least("cells_changed", 1) & at_least("optimal_share", 0.95)
             & epochs_trained(50), keys=("up", "down", "left", "right", "[", "space")),
        Step("Self-play, AlphaGo's recipe on tic-tac-toe. Press t: a value network that learns by playing "
             "itself, with no human games, only wins, draws and losses. On the board, its value of each move "
             "for the side to move; the curves count 100 games as X and 100 as O against a random player and "
             "against perfect play. Train until it has played 10,000 games (20 epochs of 500).",
             equals("run", "tic_tac_toe") & at_least("games", EARLY_GAMES), keys=("t", "space")),
        Step(f"It still loses to perfect play (the status line: lost as O). AlphaGo did not play with its networks "
             f"alone: it added a Monte Carlo tree search. Press k: for each move the search runs {SIMULATIONS} "
             f"simulations down a tree of futures, each following the move with the best average so far plus a "
             f"bonus for moves the network likes but the search has tried little, and scoring the new position "
             f"with the value network. Under each value: its visits; it plays the most visited. The games are "
             f"measured again through the search: the same network loses fewer.",
             equals("run", "tic_tac_toe") & at_least("mcts", 1), keys=("k",), held_at_goal=True),
        Step(f"Now beat it. You are X; each cell has a key, as on a phone pad ({_PHONE_PAD}); o lets the network start, n begins a new "
             f"game, k switches the search off and on. The network alone still blunders; with the search it lost "
             f"none of 200 games to perfect play (nn-tui lesson alphago --verify), so a draw is the best you can "
             f"get. Finish a game.",
             equals("run", "tic_tac_toe") & equals("game_over", True),
             keys=("5", "o", "n")),  # the footer has room for these; every cell key is bound
        Step("In 2016 AlphaGo beat Lee Sedol at Go, 4 games to 1: reinforcement learning, where the story of deep "
             "learning went. The recipe you just ran, at a vastly larger scale: networks that learned, in part, "
             "by playing themselves, and a tree search they guide. Tic-tac-toe has 5,478 positions; Go far too "
             "many for any table, so the network's judgement is what makes the search possible. Enter finishes.",
             READ_ONLY, keys=("enter",)),
    ),
    claims=(knows_nothing, values_spread_back, exploring_matters, policy_follows, self_play_learns,
            search_loses_less, search_needs_the_network, positions_of_tic_tac_toe),
    setup={"runs": {
        "gridworld": {**WORLD, "pace": WORLD_PACE, "key": "w", "label": "the gridworld"},
        "no_exploring": {**NO_EXPLORING, "pace": WORLD_PACE, "key": "e", "label": "the gridworld, ε 0"},
        "tic_tac_toe": {**SELF_PLAY, "pace": SELF_PLAY_PACE, "key": "t", "label": "tic-tac-toe self-play"},
    }, "start": "gridworld"},
    panes=("output", "board", "loss", "dqn-cell"),  # the kinds' LAYOUT ids; "loss" is the lesson's own
    small_screen_leaves_out=("dqn-cell",),
    keys={"space": "play_pause", "s": "step_epoch", "enter": "next_step"},
    values={"cells_changed": lambda snapshot, state: cells_changed(snapshot.view(GridView)),
            "game_over": lambda snapshot, state: game_over(snapshot.view(BoardView))},
    screen="nn_tui.lessons.alphago.screen",
)
