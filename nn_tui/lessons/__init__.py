"""nn-tui's lessons: the story of deep learning, one keyboard-driven lesson per idea.

``LESSONS`` maps each lesson's name to its ``Lesson``, in the story's order.
A lesson is data (``nn_tui.lessons.lesson``): numbered steps whose ``done``
checks read a plain progress mapping, and claims that train the lesson's
default runs headlessly (``nn-tui lesson NAME --verify``). The lessons whose
model kinds have not landed yet are listed with ``available=False``.
"""

from __future__ import annotations

from types import MappingProxyType

from nn_tui.lessons import activations, approximation, backprop, digits, perceptron, sparse, tabular, xor
from nn_tui.lessons.coming import COMING
from nn_tui.lessons.lesson import Check, ClaimResult, Lesson, LessonUnavailable, Step, StepTracker

LESSONS = MappingProxyType({lesson.name: lesson for lesson in (
    perceptron.LESSON, xor.LESSON, backprop.LESSON, activations.LESSON, approximation.LESSON,
    sparse.LESSON, digits.LESSON, tabular.LESSON, *COMING,
)})

__all__ = ["LESSONS", "Check", "ClaimResult", "Lesson", "LessonUnavailable", "Step", "StepTracker"]
