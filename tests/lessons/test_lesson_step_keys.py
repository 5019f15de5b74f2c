"""Every key a lesson step asks for is named in that step's text or an earlier one (a learner reads
only the text). Space (train, pause) and Enter (next step) are the lesson's running keys, first in
every lesson's footer and named by its first steps: a step may say "train on" for Space."""

import pytest

from nn_tui.lessons import LESSONS
from tests.lessons.lesson_walk import names


@pytest.mark.parametrize("name", list(LESSONS))
def test_every_key_a_step_asks_for_is_named_in_its_text(name):
    steps = LESSONS[name].steps
    unnamed = [(number, key) for number, step in enumerate(steps, start=1) for key in step.keys
               if key not in ("space", "enter")
               and not any(names(earlier.text, key) for earlier in steps[:number])]
    assert not unnamed, f"{name}: step keys not named in the step's text: {unnamed}"


def test_the_sparse_lesson_says_to_raise_the_l1_rate_with_h():
    step = LESSONS["sparse"].steps[3]
    assert "h" in step.keys and names(step.text, "h")
