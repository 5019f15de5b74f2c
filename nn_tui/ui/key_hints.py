"""Key hints in pane titles and panels, made from the screen's controls table.

A hint never names a key in free text: ``key_hint(widget, what, *labels)`` looks up the
rows with those labels among the controls of the widget's screen and writes
"KEYS: what" with the keys that screen binds to them, or "" when it binds none (a
lesson narrows the keys, so a playground's hint may have nothing to say there).
The hints a widget shows are kept on it (``widget.key_hints``: (key, what) pairs) so
``tests/app/test_keys_on_screen.py`` can check every hint it finds on a screen was
made here. The notation it parses: "KEYS: what", KEYS one or more key symbols
(a letter, an arrow, a bracket) separated by spaces, as an item of a parenthesised
group or of a " · "-separated line.
"""

from __future__ import annotations

from textual.dom import NoScreen

# Textual key names -> how a hint writes them.
SYMBOLS = {"left": "←", "right": "→", "up": "↑", "down": "↓", "left_square_bracket": "[",
           "right_square_bracket": "]", "plus": "+", "minus": "-", "comma": ",", "full_stop": ".",
           "question_mark": "?", "space": "Space", "enter": "Enter", "tab": "Tab", "escape": "Esc"}


def symbol(control) -> str:
    key = control.key.split(",")[0]
    return control.key_display or SYMBOLS.get(key, key)


def key_hint(widget, what: str, *labels: str) -> str:
    """"KEYS: what" for the rows labelled ``labels`` that the widget's screen binds, else ""."""
    try:
        controls = widget.screen.controls
    except (NoScreen, AttributeError):  # not on a screen yet, or a screen without a controls table
        return ""
    keys = [symbol(control) for label in labels for control in controls if control.label == label]
    if not keys:
        return ""
    hints = getattr(widget, "key_hints", None)
    if hints is None:
        hints = widget.key_hints = set()
    hints.update((key, what) for key in keys)
    return f"{' '.join(keys)}: {what}"


def with_hints(text: str, *hints: str) -> str:
    """``text`` followed by its non-empty hints in parentheses ("" hints are left out)."""
    shown = [hint for hint in hints if hint]
    return f"{text} ({', '.join(shown)})" if shown else text
