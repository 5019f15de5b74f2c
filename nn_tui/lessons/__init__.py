"""nn-tui's lessons: the story of deep learning, one keyboard-driven lesson per idea.

``LESSONS`` maps each lesson's name to its ``Lesson``, in the story's order.
A lesson is data (``nn_tui.lessons.lesson``): numbered steps whose ``done``
checks read a plain progress mapping, and claims that train the lesson's
default runs headlessly (``nn-tui lesson NAME --verify``).

A lesson is one module or folder here and one line in the list below (or
``register(lesson)`` from your own code, as the test suite does with a toy lesson).

For the app (what the lesson screen, nn_tui/ui/lesson_screen.py, does with a Lesson):
- build the run(s) from ``lesson.setup`` (options of ``nn-tui train``; "runs" when
  the lesson's keys switch between several, each run's "key" switching to it),
- show ``lesson.panes`` (the kind's, or the lesson's own from its ``screen`` module)
  and only ``lesson.keys`` (rows of the kind's controls table) plus the lesson's own,
- on every snapshot: ``tracker.update(progress(lesson, snapshot, state))`` with
  ``tracker = StepTracker(lesson, first_progress)``: the snapshot's header plus the
  lesson's own ``values`` (``lesson.reads()`` lists every name its steps read);
  the "next step" key calls ``tracker.next()``, "previous" ``tracker.back()``.
"""

from __future__ import annotations

from types import MappingProxyType

from nn_tui.lessons import activations, alphago, approximation, attention, autoencoder, backprop, cnn, deep, digits, \
    gan, overfitting, perceptron, rnn, sparse, tabular, why_now, xor
from nn_tui.lessons.lesson import Check, ClaimResult, Lesson, Step, StepTracker
from nn_tui.lessons.progress import progress_from_snapshot

_REGISTRY: dict[str, Lesson] = {}
LESSONS = MappingProxyType(_REGISTRY)  # read-only; register() and unregister() change it


def register(lesson: Lesson) -> Lesson:
    """Add (or replace) a lesson, last in the story's order; returns it."""
    _REGISTRY[lesson.name] = lesson
    return lesson


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


# The story's order. To add a lesson: its module (or folder), then one line here.
for _lesson in (
    perceptron.LESSON, xor.LESSON, backprop.LESSON, activations.LESSON, overfitting.LESSON, deep.LESSON,
    approximation.LESSON, sparse.LESSON, digits.LESSON, tabular.LESSON, cnn.LESSON, rnn.LESSON, attention.LESSON,
    autoencoder.LESSON, gan.LESSON, why_now.LESSON, alphago.LESSON,
):
    register(_lesson)

__all__ = ["LESSONS", "Check", "ClaimResult", "Lesson", "Step", "StepTracker",
           "progress_from_snapshot", "register", "unregister"]
