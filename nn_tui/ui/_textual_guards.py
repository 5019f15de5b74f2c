"""Guards around Textual (8.2.x) bugs that would end the app on a key press.

``OptionList._move_page`` (PageUp / PageDown in the command palette's list)
looks up the highlighted option's line, but the list lays out no lines while it
has no room (a terminal resized to a few rows with the palette open), so the
lookup raises KeyError and the app exits with a traceback. Textual's own
``scroll_to_highlight`` treats the same missing line as "nothing to do"; the
guard does the same for paging. Found by random keys and resizes in a real
terminal; reproduced in tests/app/test_app.py.
"""

from __future__ import annotations

from textual.widgets import OptionList

_installed = False


def install_textual_guards() -> None:
    """Idempotent; does nothing if Textual's internals are not the shape it expects."""
    global _installed
    if _installed or not callable(getattr(OptionList, "_move_page", None)):
        return
    move_page = OptionList._move_page

    def guarded_move_page(self, direction):  # type: ignore[no-untyped-def]
        try:
            move_page(self, direction)
        except (KeyError, IndexError):
            pass  # no lines laid out (no room): nothing to page through

    OptionList._move_page = guarded_move_page
    _installed = True
