"""Opt-in: make Textual send only the refreshed span of a line, not its prefix.

Textual (8.2.8) crops a partial update at the *end* of each refreshed region but
starts writing at the beginning of the widget's line ("chop"): refreshing cells
30..32 of a 40-cell heatmap line re-sends cells 0..32 (Textual issue #5625). For
widgets that change a few cells per line every frame that is most of the bytes.

``enable_span_updates()`` replaces ``ChopsUpdate.render_segments`` with a version
that starts at the first *segment* overlapping the span (a segment boundary is
always a character boundary, so wide characters are never split) and stops at
the span's end as before. The output is the same screen; only fewer bytes. It is
global to the process, idempotent, and does nothing if Textual's internals are
not the shape it expects. The drawing widgets work with or without it; they ask
:func:`span_updates_enabled` to decide how finely to cut their refresh regions.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.control import Control

from nn_tui.ui._patching import patch, unpatch

# Fingerprint of ChopsUpdate.render_segments in Textual 8.2.8, the version this was checked on.
RENDER_SEGMENTS_FINGERPRINT = "4c1cdb567e0b8354"
_enabled = False


def span_updates_enabled() -> bool:
    """Whether :func:`enable_span_updates` is in effect."""
    return _enabled


def _render_segments(original, self, console) -> str:  # type: ignore[no-untyped-def]
    """``ChopsUpdate.render_segments`` that also crops the start of each span."""
    sequences: list[str] = []
    append = sequences.append
    move_to = Control.move_to
    chops = self.chops
    chop_ends = self.chop_ends
    last_y = self.spans[-1][0]

    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items()):
            if strip is None or x >= x2 or end <= x1:
                continue
            if x >= x1 and end <= x2:
                append(move_to(x, y).segment.text)
                append(strip.render(console))
                continue
            if x < x1:
                # Skip whole segments that end before the span starts.
                segments = strip._segments
                start = x
                index = 0
                for index, segment in enumerate(segments):  # noqa: B007
                    width = cell_len(segment.text)
                    if start + width > x1:
                        break
                    start += width
                strip = type(strip)(segments[index:], end - start)
                x = start
            strip = strip.crop(0, min(end, x2) - x)
            append(move_to(x, y).segment.text)
            append(strip.render(console))

        if y != last_y:
            append("\n")

    return "".join(sequences)


def enable_span_updates() -> bool:
    """Patch Textual's partial updates to start at the refreshed span. Returns success:
    False (and Textual's own code) if its internals are not the ones this was checked on."""
    global _enabled
    if _enabled:
        return True
    try:
        from textual._compositor import ChopsUpdate
    except ImportError:  # pragma: no cover - Textual moved things around
        return False
    _enabled = patch(ChopsUpdate, "render_segments", _render_segments, RENDER_SEGMENTS_FINGERPRINT)
    return _enabled


def disable_span_updates() -> None:
    """Undo :func:`enable_span_updates` (for tests)."""
    global _enabled
    try:  # optional: a private module of Textual, as in enable_span_updates
        from textual._compositor import ChopsUpdate
    except ImportError:  # pragma: no cover - Textual moved things around
        return
    unpatch(ChopsUpdate, "render_segments")
    _enabled = False
