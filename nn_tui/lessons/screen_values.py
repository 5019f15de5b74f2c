"""The lesson screen's own state and the progress values it computes from snapshots.

No Textual here: the screen keeps a ``LessonState`` (which run is shown, the
selected parameter, the backprop phase, the activation race's finished curves,
the sparse chart's points) and feeds its ``StepTracker`` with

    progress_from_snapshot(snapshot, lesson_values(lesson, snapshot, state))

Every value is computed from the snapshot's frozen views (never from a model):
``VALUES`` maps a progress name to ``fn(snapshot, state)``. A lesson whose steps
read a new name adds one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from nn_tui.lessons.importance import ImportanceView
from nn_tui.lessons.runs import first_run, screen_extras
from nn_tui.views import NetworkView

PARAMETERS = ("w1", "w2", "threshold")  # what the perceptron lesson's keys tune by hand
PARAMETER_STEP = 0.1
NEAR_ZERO = 0.01  # a weight this close to zero counts as switched off (L1 keeps it jittering around 0)


@dataclass
class LessonState:
    """What the lesson screen remembers between snapshots (UI state, not the run's)."""

    lesson: Any
    run: str | None = None  # the named run shown, for lessons with several
    parameter: int = 0  # index into PARAMETERS
    phase: int = 0  # backprop: how many of the walkthrough's phases are shown
    race: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # activation -> (epochs, loss)
    racer: int = 0  # index into the race of the run shown
    racing: bool = False  # the race goes on by itself from racer to racer
    chart: list[tuple[int, float]] = field(default_factory=list)  # sparse: (connections, test accuracy)
    prune_rounds: int = 0
    hand_set: dict[str, float] | None = None  # the perceptron's w1, w2, threshold as last set by hand

    def __post_init__(self) -> None:
        if self.run is None:
            self.run = first_run(self.lesson)

    @property
    def extras(self) -> dict[str, Any]:
        return screen_extras(self.lesson, self.run)

    @property
    def race_names(self) -> tuple[str, ...]:
        return tuple(self.extras.get("race", ()))


def network(snapshot) -> NetworkView | None:
    return snapshot.view(NetworkView)


# --------------------------------------------------------------- the perceptron's
def perceptron_parameters(view: NetworkView) -> dict[str, float]:
    """w1, w2 and the threshold of a two-input threshold unit (it fires when
    w1·x1 + w2·x2 ≥ threshold, so the threshold is minus the bias)."""
    weights, bias = view.weights[0][:, 0], view.biases[0][0]
    return {"w1": float(weights[0]), "w2": float(weights[1]), "threshold": float(-bias)}


def truth_table(view: NetworkView, gate: str) -> list[tuple[int, int, int, int]]:
    """(x1, x2, the unit's output, the gate's answer) for the four rows."""
    from nn_tui.lessons.gates import INPUTS, TRUTH_TABLES

    outputs = (INPUTS @ view.weights[0][:, 0] + view.biases[0][0]) >= 0
    return [(int(x1), int(x2), int(out), int(want))
            for (x1, x2), out, want in zip(INPUTS, outputs, TRUTH_TABLES[gate])]


def _parameter(name):
    return lambda snapshot, state: perceptron_parameters(network(snapshot))[name]


def set_by_hand(state: LessonState, view: NetworkView, name: str, value: float) -> tuple[str, tuple]:
    """The session command that sets one of the perceptron's PARAMETERS to ``value``;
    the screen remembers the hand-set values, so training or new weights show."""
    state.hand_set = {**perceptron_parameters(view), name: value}
    if name == "threshold":
        return "set_bias", (0, 0, -value)
    return "set_weight", (0, PARAMETERS.index(name), 0, value)


def _hand_set_shown(snapshot, state) -> bool:
    """The unit shown has the weights the user set by hand (not trained, not reset)."""
    now = perceptron_parameters(network(snapshot))
    return state.hand_set is not None and all(abs(now[name] - state.hand_set[name]) < 1e-9 for name in PARAMETERS)


def _truth_table_correct(snapshot, state) -> int:
    return sum(out == want for _, _, out, want in truth_table(network(snapshot), snapshot.dataset))


# ------------------------------------------------------------------ the others'
def connections(view: NetworkView) -> int:
    """Weights that can be non-zero (a pruned one cannot)."""
    return int(sum(mask.sum() if mask is not None else weights.size
                   for weights, mask in zip(view.weights, view.masks)))


def near_zero_share(view: NetworkView, near: float = NEAR_ZERO) -> float:
    """Share of the live weights within ``near`` of zero."""
    live = [w[m.astype(bool)] if m is not None else w.ravel() for w, m in zip(view.weights, view.masks)]
    values = np.concatenate(live) if live else np.zeros(0)
    return float(np.mean(np.abs(values) < near)) if len(values) else 0.0


VALUES: dict[str, Callable[[Any, LessonState], Any]] = {
    "w1": _parameter("w1"),
    "w2": _parameter("w2"),
    "threshold": _parameter("threshold"),
    "gate": lambda snapshot, state: snapshot.dataset,
    "truth_table_correct": _truth_table_correct,
    "set_by_hand": _hand_set_shown,
    "phase": lambda snapshot, state: state.phase,
    "hidden_units": lambda snapshot, state: int(sum(network(snapshot).hidden)),
    "target": lambda snapshot, state: snapshot.dataset,
    "connections": lambda snapshot, state: connections(network(snapshot)),
    "zero_weights": lambda snapshot, state: near_zero_share(network(snapshot)),
    "prune_rounds": lambda snapshot, state: state.prune_rounds,
    "importance_shown": lambda snapshot, state: int(snapshot.view(ImportanceView) is not None),
    "race_finished": lambda snapshot, state: len(state.race),
    "run": lambda snapshot, state: state.run,
}


def lesson_values(lesson, snapshot, state: LessonState) -> dict[str, Any]:
    """The lesson's own progress values that this snapshot can answer (a value
    whose view is missing, e.g. w1 while a network is shown, is left out)."""
    values = {}
    for name in lesson.reads():
        compute = VALUES.get(name)
        if compute is None:
            continue
        try:
            values[name] = compute(snapshot, state)
        except (AttributeError, IndexError, KeyError, TypeError):
            pass  # not there yet: the check reads it as not done
    return values


def progress(lesson, snapshot, state: LessonState) -> dict[str, Any]:
    from nn_tui.lessons.progress import progress_from_snapshot

    return progress_from_snapshot(snapshot, lesson_values(lesson, snapshot, state))
