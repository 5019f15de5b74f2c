"""Every screen's keys come from one table: no key may mean two things on one screen."""

import importlib

import pytest

from nn_tui.kinds import KINDS
from nn_tui.ui.controls import controls_for


def _keys(controls):
    keys = []
    for control in controls:
        keys += control.key.split(",")
    return keys


@pytest.mark.parametrize("kind", sorted(name for name, kind in KINDS.items() if kind.panes))
def test_each_kind_screen_binds_every_key_once(kind):
    panes = importlib.import_module(KINDS[kind].panes)
    keys = _keys(controls_for(kind, panes.CONTROLS))
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"{kind}: {duplicates} bound twice"


def test_every_lesson_screen_binds_every_key_once():
    from nn_tui.lessons import LESSONS
    from nn_tui.ui.lesson_screen import lesson_controls

    for name, lesson in LESSONS.items():
        keys = _keys(lesson_controls(lesson))
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        assert not duplicates, f"lesson {name}: {duplicates} bound twice"


def test_every_key_a_lesson_step_names_is_bound_on_its_screen():
    """The lesson's own keys, its run switches and the kind's rows it asks for."""
    from nn_tui.lessons import LESSONS
    from nn_tui.ui.lesson_screen import KEYS, lesson_controls

    for name, lesson in LESSONS.items():
        bound = set(_keys(lesson_controls(lesson)))
        for step in lesson.steps:
            named = {KEYS.get(key, key).split(",")[0] for key in step.keys}
            assert named <= bound, f"lesson {name}: step keys {sorted(named - bound)} are not bound"
