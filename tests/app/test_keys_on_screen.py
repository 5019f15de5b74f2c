"""Every key shown on a screen does what it says there, checked from the controls table.

For every kind's playground and every lesson screen: each key hint found in a pane's
title or text (the notation of ``nn_tui.ui.key_hints``: "KEYS: what") names keys the
screen binds, and was made from the screen's controls table (so it cannot name a key
that does nothing, or something else, there); each row of the table runs an action or
a session command that exists; each key a lesson step names is bound on its screen.
"""

import re

import pytest
from rich.text import Text

from nn_tui.config import RunConfig
from nn_tui.kinds import KINDS
from nn_tui.lessons import LESSONS
from nn_tui.lessons.runs import config_for, first_run
from nn_tui.session import Session, check_command
from nn_tui.ui.app import NNTuiApp
from nn_tui.ui.key_hints import symbol
from nn_tui.ui.playground import SCREEN_ACTIONS
from tests.app.pilot_helpers import wait_for

ARROWS = "←→↑↓"
# Legends drawn with a key's symbol that are not keys (the grid world's greedy arrows).
# Legends and prose that read like a hint but are not keys.
LEGENDS = ("→ greedy", "→ not optimal", "D says", "h: hidden state", "c: tanh(cell state)", "a larger window")
KEY_TOKEN = re.compile(r"^(?:[A-Za-z\[\]+\-]|[←→↑↓]+|Tab|Space|Enter|Esc)$")


def hints_in(text: str) -> list[tuple[list[str], str]]:
    """The key hints in ``text``: (keys, what) for each item of a parenthesised group or of
    a " · "-separated line whose first words are key symbols ("c C", "←→↑↓ select ...")."""
    items = []
    text = re.sub(r"\[/?#?\w[\w ]*\]", "", text)  # Rich markup in a title: [#0877bd]█[/#0877bd]
    for legend in LEGENDS:
        text = text.replace(legend, "")
    for group in re.findall(r"\(([^()]*)\)", text):
        items += re.split(r", | · |; ", group)
    for line in text.splitlines():
        if " · " in line:
            items += line.split(" · ")
    found = []
    for item in items:
        words = item.replace(":", " : ").split()
        for start in (0, *(i for i, _ in enumerate(words) if re.search(r"\s{2}" + re.escape(_), item))):
            keys, rest = [], words[start:]
            while rest and KEY_TOKEN.match(rest[0]):
                token = rest.pop(0)
                keys += list(token) if token[0] in ARROWS else [token]
            if keys:
                found.append((keys, " ".join(w for w in rest if w != ":")))
                break
    return found


def test_the_hint_notation_is_parsed():
    assert hints_in("filters: weights (v, c C) · maps") == [(["v"], ""), (["c", "C"], "")]
    assert hints_in("gap ([ ]: gap, k: cell)") == [(["[", "]"], "gap"), (["k"], "cell")]
    assert hints_in("input x1  ←→↑↓ select a neuron · e edit its weights") == [
        (list(ARROWS), "select a neuron"), (["e"], "edit its weights")]
    assert hints_in("(marked saturated) (x2 = 0 here) (σ 0.4) v·tanh(w·x + b)") == []


def shown_texts(screen):
    """(widget, text) for every title and every text a pane shows, but the steps' own."""
    for widget in screen.query("*"):
        if not widget.display or widget.id == "steps":
            continue
        for title in (widget.border_title, widget.border_subtitle):
            if title:
                yield widget, str(title)
        if hasattr(widget, "show") or widget.__class__.__name__.endswith("Panel"):
            try:
                rendered = widget.render()
            except Exception:
                continue
            if isinstance(rendered, Text):
                yield widget, rendered.plain


def bound_symbols(screen) -> dict[str, object]:
    return {symbol(control): control for control in screen.controls} | {
        key: control for control in screen.controls for key in control.key.split(",")}


def dead_hints(screen) -> list[str]:
    bound = bound_symbols(screen)
    wrong = []
    for widget, text in shown_texts(screen):
        made = getattr(widget, "key_hints", set())
        for keys, what in hints_in(text):
            for key in keys:
                if key not in bound:
                    wrong.append(f"{key!r} ({what or 'says nothing'}) in {text!r}: not bound here")
                elif (key, what) not in made or not what:
                    wrong.append(f"{key!r} ({what or 'says nothing'}) in {text!r}: not made from the "
                                 f"controls table (here it is {bound[key].label!r})")
    return wrong


def missing_actions(screen) -> list[str]:
    wrong = []
    for control in screen.controls:
        if control.command is not None:
            try:
                check_command(screen.session.snapshot.kind, control.command)
            except AttributeError:
                if not control.kinds:  # a row for another kind is refused with a notice, by design
                    wrong.append(f"{control.key}: command {control.command} does not exist")
        elif not (getattr(screen.ui, control.action, None) or control.action in SCREEN_ACTIONS
                  or hasattr(screen, f"do_{control.action}")):
            wrong.append(f"{control.key}: action {control.action} does not exist")
    return wrong


async def check_screen(app) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen._shown_version == app.session.snapshot.version)
        await pilot.press("s")  # one epoch: every pane has its view (a lesson without s ignores it)
        await pilot.pause(0.5)
        problems = dead_hints(screen) + missing_actions(screen)
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("kind", sorted(name for name, kind in KINDS.items() if kind.panes))
async def test_every_key_a_playground_shows_is_bound_there(kind):
    await check_screen(NNTuiApp(Session(RunConfig.of(model=kind)), fps=20))


@pytest.mark.parametrize("name", list(LESSONS))
async def test_every_key_a_lesson_screen_shows_is_bound_there(name):
    lesson = LESSONS[name]
    await check_screen(NNTuiApp(Session(config_for(lesson, first_run(lesson))), fps=20, lesson=name))


def pressed_in(text: str) -> list[str]:
    """The keys a step's text tells to press: "Press K", "press K for ..."."""
    spoken = {"Space": "space", "Enter": "enter", "Tab": "tab"}
    return [spoken.get(key, key) for key in re.findall(r"[Pp]ress(?:es)? (\S+?)[,.:;]?(?=\s)", text + " ")]


def test_the_press_notation_of_step_texts_is_parsed():
    assert pressed_in("Press → twice. Press Space to train, press g for OR.") == ["→", "space", "g"]


@pytest.mark.parametrize("name", list(LESSONS))
def test_every_key_a_step_text_says_to_press_is_bound_on_its_screen(name):
    from nn_tui.ui.lesson_screen import KEYS, lesson_controls

    controls = lesson_controls(LESSONS[name])
    bound = {symbol(c) for c in controls} | {key for c in controls for key in c.key.split(",")}
    unbound = [(number, key) for number, step in enumerate(LESSONS[name].steps, start=1)
               for key in pressed_in(step.text) if key not in bound and KEYS.get(key, key).split(",")[0] not in bound]
    assert not unbound, f"{name}: steps say to press keys its screen does not bind: {unbound}"
