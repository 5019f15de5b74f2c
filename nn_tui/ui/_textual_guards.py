"""Guards around Textual (8.2.x) bugs that would end the app on a key press.

``OptionList._move_page`` (PageUp / PageDown in the command palette's list)
looks up the highlighted option's line, but the list lays out no lines while it
has no room (a terminal resized to a few rows with the palette open), so the
lookup raises KeyError and the app exits with a traceback. Textual's own
``scroll_to_highlight`` treats the same missing line as "nothing to do"; the
guard does the same for paging. Found by random keys and resizes in a real
terminal; reproduced in tests/app/test_app.py. ``SafeMonochrome``: NO_COLOR (below).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.filter import Monochrome
from textual.widgets import OptionList

from nn_tui.ui._patching import patch

_PLAIN = Style()

# Fingerprint of OptionList._move_page in Textual 8.2.8, the version this guard was checked on.
MOVE_PAGE_FINGERPRINT = "85f7f33005763486"


def _guarded_move_page(original, self, direction):  # type: ignore[no-untyped-def]
    try:
        original(self, direction)
    except (KeyError, IndexError):
        pass  # no lines laid out (no room): nothing to page through


def install_textual_guards() -> bool:
    """Idempotent; leaves Textual as it is if `_move_page` is not the code it was checked on."""
    return patch(OptionList, "_move_page", _guarded_move_page, MOVE_PAGE_FINGERPRINT)


class SafeMonochrome(Monochrome):
    """Textual's NO_COLOR filter, but a segment without a style passes as unstyled:
    Textual's own `Monochrome.apply` reads `style.color` of every segment, and blank
    strips (`Strip.blank`, Textual's and ours) carry None, so NO_COLOR=1 ended the app
    at its first frame (tests/app/test_looks_and_files.py)."""

    def apply(self, segments, background):  # type: ignore[no-untyped-def]
        return super().apply([Segment(text, style or _PLAIN, control) for text, style, control in segments],
                             background)


def guard_no_color_filter(app) -> None:
    """Swap the app's Monochrome filter (there under NO_COLOR) for SafeMonochrome."""
    app._filters = [SafeMonochrome() if type(f) is Monochrome else f for f in app._filters]
