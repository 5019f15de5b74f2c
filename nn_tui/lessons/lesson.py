"""What a lesson is: steps that move on by themselves, and claims the code checks.

A lesson is plain data. The app feeds each step's ``done`` check a *progress*
mapping that it builds from its snapshot: metric name -> value (for example
"test_accuracy", "train_loss", "w1", "truth_table_correct") plus "epoch" and
"status" ("paused", "training", ...). Checks never see the app, so they are
tested with plain dicts. A missing name means "not there yet": the check is
False, it never raises.

Keys and panes are names (strings) the app maps to its own controls and
widgets: ``keys`` is key name -> a row of the kind's controls table, ``panes`` a
tuple of pane names (the kind's, or the lesson's own). What only a lesson's screen
has (its own panes, keys and actions) lives in the module named by ``screen``,
imported only by the UI, as a kind's ``panes`` module is.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Progress = Mapping[str, Any]


@dataclass(frozen=True)
class Check:
    """A ``done`` predicate: ``check(now, start)``.

    ``now`` is the latest progress, ``start`` the progress when the step began
    (so "the weight changed" or "ten more epochs" can be asked). ``reads``
    names the progress entries the check looks at, so the app knows what to feed.
    """

    describe: str
    reads: tuple[str, ...]
    test: Callable[[Progress, Progress], bool]

    def __call__(self, now: Progress, start: Progress | None = None) -> bool:
        try:
            return bool(self.test(now, now if start is None else start))
        except (KeyError, TypeError, ValueError):
            return False  # a missing or unusable value: not done yet

    def __and__(self, other: "Check") -> "Check":
        return Check(f"{self.describe} and {other.describe}", _merge(self.reads, other.reads),
                     lambda now, start: self(now, start) and other(now, start))

    def __or__(self, other: "Check") -> "Check":
        return Check(f"{self.describe} or {other.describe}", _merge(self.reads, other.reads),
                     lambda now, start: self(now, start) or other(now, start))


def _merge(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(name for name in b if name not in a)


def _number(progress: Progress, name: str) -> float:
    value = progress[name]
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(name)
    return float(value)


def at_least(name: str, threshold: float) -> Check:
    return Check(f"{name} >= {threshold:g}", (name,), lambda now, start: _number(now, name) >= threshold)


def at_most(name: str, threshold: float) -> Check:
    return Check(f"{name} <= {threshold:g}", (name,), lambda now, start: _number(now, name) <= threshold)


def exceeds_by(name: str, other: str, amount: float) -> Check:
    """``name`` is at least ``amount`` above ``other`` (e.g. rebuilt PSNR over noisy PSNR)."""
    return Check(f"{name} >= {other} + {amount:g}", (name, other),
                 lambda now, start: _number(now, name) - _number(now, other) >= amount)


def equals(name: str, value: Any) -> Check:
    return Check(f"{name} == {value!r}", (name,), lambda now, start: now[name] == value)


def one_of(name: str, *values: Any) -> Check:
    """The value is one of ``values`` (e.g. the run shown is the LSTM or the GRU)."""
    return Check(f"{name} in {values!r}", (name,), lambda now, start: now[name] in values)


def changed(name: str) -> Check:
    """The value differs from what it was when the step began."""
    return Check(f"{name} changed", (name,), lambda now, start: now[name] != start[name])


def grew_by(name: str, amount: float) -> Check:
    """The value rose by at least ``amount`` since the step began (e.g. epochs)."""
    return Check(f"{name} up by {amount:g}", (name,),
                 lambda now, start: _number(now, name) - _number(start, name) >= amount)


def epochs_trained(count: int) -> Check:
    return grew_by("epoch", count)


def any_changed(*names: str) -> Check:
    return Check(f"one of {', '.join(names)} changed", tuple(names),
                 lambda now, start: any(now[name] != start[name] for name in names))


# A step that is read, not done: the user moves on with the "next step" key.
READ_ONLY = Check("the next-step key", (), lambda now, start: False)


@dataclass(frozen=True)
class Step:
    """One numbered step: what to press and what to see, and when it is done.
    ``keys`` are the key names the text asks for (the app may highlight them).
    ``held_at_goal``: the text goes on after its key to what that key shows, so a goal
    met by a key while paused is held too (until next()), not passed before it is read.
    Leave it off for a step that is only "press X to go on" (the next step tells)."""

    text: str
    done: Check = READ_ONLY
    keys: tuple[str, ...] = ()
    held_at_goal: bool = False


@dataclass(frozen=True)
class ClaimResult:
    """One checked claim: its text, what was measured, and whether it holds.
    ``value`` is a number, or a mapping of names to numbers when the claim
    compares measured things."""

    claim: str
    value: Any
    holds: bool

    def as_json(self) -> dict:
        return {"claim": self.claim, "value": _plain(self.value), "holds": bool(self.holds)}


def _plain(value: Any) -> Any:
    """JSON-safe: numpy scalars to Python numbers, non-finite floats to None."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        value = float(value)
        return value if math.isfinite(value) else None
    raise TypeError(f"a claim value must be numbers, not {type(value).__name__}")


# A claim trains what it needs and returns one ClaimResult, or a list of them
# when one run backs several statements.
Claim = Callable[[], "ClaimResult | list[ClaimResult]"]


@dataclass(frozen=True)
class Lesson:
    """``Lesson(name, title, summary, steps, claims, ...)``.

    ``setup`` holds the lesson's default run as options of ``nn-tui train``
    (dataset, layers, activation, optimizer, lr, ...), for the app to build;
    or, under "runs", several named runs the lesson's keys switch between.
    Data set names "<source>:<name>" come from ``nn_tui.datasets.SOURCES``.
    ``claims`` are zero-argument functions that train the lesson's default runs
    headlessly and return ClaimResults. ``small_screen_leaves_out`` names panes the
    screen leaves out below 30 rows, where they would be squeezed empty (the status
    line still carries their numbers); ``small_screen_only`` names panes shown only
    there, standing in for what is too small to read at that size; and
    ``small_screen_heights`` gives panes there a height in rows (what they need whole).

    A named run may carry a "key" and a "label": the screen makes its switch key
    from them. ``screen_only`` names further setup entries that only the lesson's
    screen reads (kept out of the run's settings). ``values`` are the lesson's own
    progress values: name -> ``fn(snapshot, state)`` computed from the snapshot's
    views, ``state`` a LessonState whose ``own`` is what ``make_state()`` made (the
    lesson's own screen state). ``screen`` is the module, imported only by the UI,
    with the lesson's own PANES, CONTROLS, ACTIONS and hooks (see
    ``nn_tui.ui.lesson_screen``); ``left_panes`` go under the steps.
    """

    name: str
    title: str
    summary: str
    steps: tuple[Step, ...] = ()
    claims: tuple[Claim, ...] = ()
    setup: Mapping[str, Any] = field(default_factory=dict)
    panes: tuple[str, ...] = ()
    keys: Mapping[str, str] = field(default_factory=dict)
    small_screen_leaves_out: tuple[str, ...] = ()
    small_screen_only: tuple[str, ...] = ()
    small_screen_heights: Mapping[str, int] = field(default_factory=dict)
    left_panes: tuple[str, ...] = ()
    screen_only: tuple[str, ...] = ()
    values: Mapping[str, Callable[[Any, Any], Any]] = field(default_factory=dict)
    make_state: Callable[[], Any] | None = None
    screen: str = ""
    # Its first run may train on the learner's own CSV (nn-tui lesson NAME --data FILE
    # --target COL): a lesson about tables says so; the command knows no lesson by name.
    takes_own_csv: bool = False

    def verify(self) -> list[ClaimResult]:
        results = []
        for claim in self.claims:
            outcome = claim()
            results.extend(outcome if isinstance(outcome, (list, tuple)) else [outcome])
        return results

    def reads(self) -> tuple[str, ...]:
        """Every progress name this lesson's steps look at."""
        names: tuple[str, ...] = ()
        for step in self.steps:
            names = _merge(names, step.done.reads)
        return names


COUNTERS = ("epoch", "step")  # progress names that only grow, until a reset


class StepTracker:
    """Where a user is in a lesson. ``update(progress)`` moves on past every
    step whose check is met (each step's ``start`` is the progress it began
    with); ``next()`` / ``back()`` move by hand (read-only steps need next)."""

    def __init__(self, lesson: Lesson, progress: Progress | None = None, hold: bool = False) -> None:
        """``hold`` (the lesson screen's): a step whose goal is reached while training, or
        is already met when the step begins, or is ``held_at_goal``, is held (``reached``)
        until ``next()``, so the learner reads it first; without it every met step is
        passed at once. ``reached_training``: the goal was reached by a training run."""
        self.lesson = lesson
        self.index = 0
        self.start: Progress = dict(progress or {})
        self._latest: Progress = dict(self.start)
        self.hold = hold
        self._met_on_entry = self._met_now()
        self.reached = self._met_on_entry  # the step's goal is met; it waits for next()
        self.met_at_start = self._met_on_entry  # ... and was met already when the step began
        self.reached_training = False  # ... by a run that was training (the screen paused it)

    @property
    def step(self) -> Step | None:
        steps = self.lesson.steps
        return steps[self.index] if self.index < len(steps) else None

    @property
    def finished(self) -> bool:
        return self.index >= len(self.lesson.steps)

    def update(self, progress: Progress, training: bool = False) -> int:
        """Feed the latest progress; returns how many steps it moved on. ``training``:
        the progress comes from a run that is training (a held tracker stops there)."""
        self._latest = dict(progress)
        self._follow_resets()
        if self.reached:
            return 0
        moved = 0
        while self.step is not None and self.step.done(self._latest, self.start):
            if self.hold and (training or self._met_on_entry or self.step.held_at_goal):
                self.reached, self.met_at_start = True, self._met_on_entry
                self.reached_training = training
                break
            self._go(self.index + 1)
            moved += 1
        return moved

    def _met_now(self) -> bool:
        """The step's goal holds on the progress it began with (held, with a word why)."""
        return self.hold and self.step is not None and self.step.done(self.start, self.start)

    def _follow_resets(self) -> None:
        # A counter that went down was reset (new weights, new data): count the
        # step's epochs from there, or "train 20 more epochs" could never be met.
        for name in COUNTERS:
            now, start = self._latest.get(name), self.start.get(name)
            if isinstance(now, numbers.Real) and isinstance(start, numbers.Real) and now < start:
                self.start = {**self.start, name: now}

    def next(self) -> None:
        if not self.finished:
            self._go(self.index + 1)

    def back(self) -> None:
        if self.index > 0:
            self._go(self.index - 1)

    def _go(self, index: int) -> None:
        self.index = index
        self.start = dict(self._latest)
        # Held at once if met already: a paused run sends no progress to find it by.
        self._met_on_entry = self._met_now()
        self.reached = self.met_at_start = self._met_on_entry
        self.reached_training = False
