"""The lesson screen's state and the progress values it computes from snapshots.

No Textual here: the screen keeps a ``LessonState`` (which run is shown, and the
lesson's ``own`` state, made by its ``make_state``) and feeds its ``StepTracker`` with

    progress(lesson, snapshot, state)

Every value is computed from the snapshot's frozen views (never from a model):
``VALUES`` holds the ones every lesson may read; a lesson brings its own in
``Lesson.values`` (name -> ``fn(snapshot, state)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from nn_tui.config import RunConfig
from nn_tui.lessons.progress import progress_from_snapshot
from nn_tui.lessons.runs import first_run, run_settings, screen_extras
from nn_tui.views import NetworkView


@dataclass
class LessonState:
    """What the lesson screen remembers between snapshots (UI state, not the run's)."""

    lesson: Any
    run: str | None = None  # the named run shown, for lessons with several
    own: Any = None  # the lesson's own state (its make_state()), None if it keeps none
    awaiting: Any = None  # the RunConfig of the run last switched to, until a snapshot shows it

    def __post_init__(self) -> None:
        if self.run is None:
            self.run = first_run(self.lesson)
        if self.own is None and self.lesson.make_state is not None:
            self.own = self.lesson.make_state()

    def switch_to(self, run: str) -> None:
        """The learner pressed a run's key: the screen sends its ``use_run``; until a
        snapshot of that run arrives, the snapshots shown are still the last run's."""
        self.run = run
        self.awaiting = RunConfig.of(**run_settings(self.lesson, run))

    def run_shown(self, snapshot) -> str | None:
        """The named run this snapshot shows: None while a switch's new run has not
        arrived, so a step that names the new run cannot pass on the old run's numbers."""
        if self.awaiting is not None:
            if snapshot.settings.get("config") != self.awaiting:
                return None
            self.awaiting = None  # arrived: later changes (r, +, a gap) keep the run's name
        return self.run

    @property
    def extras(self) -> dict[str, Any]:
        """The run's setup entries only the lesson's screen reads."""
        return screen_extras(self.lesson, self.run)


def network(snapshot) -> NetworkView | None:
    return snapshot.view(NetworkView)


VALUES: dict[str, Callable[[Any, LessonState], Any]] = {
    "run": lambda snapshot, state: state.run_shown(snapshot),
}


def lesson_values(lesson, snapshot, state: LessonState) -> dict[str, Any]:
    """The lesson's own progress values that this snapshot can answer (a value
    whose view is missing, e.g. w1 while a network is shown, is left out)."""
    values = {}
    for name in lesson.reads():
        compute = lesson.values.get(name) or VALUES.get(name)
        if compute is None:
            continue
        try:
            values[name] = compute(snapshot, state)
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            # not there yet (ValueError: a network of other shapes, the run the lesson was
            # opened from, before its own arrives): the check reads it as not done
            pass
    return values


def progress(lesson, snapshot, state: LessonState) -> dict[str, Any]:
    return progress_from_snapshot(snapshot, lesson_values(lesson, snapshot, state))
