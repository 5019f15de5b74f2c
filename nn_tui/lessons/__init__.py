"""nn-tui's lessons: the story of deep learning, one keyboard-driven lesson per idea.

``LESSONS`` maps each lesson's name to its ``Lesson``, in the story's order.
A lesson is data (``nn_tui.lessons.lesson``): numbered steps whose ``done``
checks read a plain progress mapping, and claims that train the lesson's
default runs headlessly (``nn-tui lesson NAME --verify``).

For the app (what a lesson screen does with a Lesson):
- build the run(s) from ``lesson.setup`` (options of ``nn-tui train``; "runs" when
  the lesson's keys switch between several),
- show ``lesson.panes`` and only ``lesson.keys`` (key name -> command name),
- on every snapshot: ``tracker.update(progress_from_snapshot(snapshot, extra))``
  with ``tracker = StepTracker(lesson, first_progress)``; ``extra`` carries the
  lesson's own values (``lesson.reads()`` lists every name its steps read);
  the "next step" key calls ``tracker.next()``, "previous" ``tracker.back()``.
"""

from __future__ import annotations

from types import MappingProxyType

from nn_tui.lessons import activations, approximation, autoencoder, backprop, cnn, digits, gan, perceptron, rnn, \
    sparse, tabular, xor
from nn_tui.lessons.lesson import Check, ClaimResult, Lesson, Step, StepTracker
from nn_tui.lessons.progress import progress_from_snapshot

LESSONS = MappingProxyType({lesson.name: lesson for lesson in (
    perceptron.LESSON, xor.LESSON, backprop.LESSON, activations.LESSON, approximation.LESSON,
    sparse.LESSON, digits.LESSON, tabular.LESSON, cnn.LESSON, rnn.LESSON, autoencoder.LESSON, gan.LESSON,
)})

__all__ = ["LESSONS", "Check", "ClaimResult", "Lesson", "Step", "StepTracker",
           "progress_from_snapshot"]
