"""Border texts set only when they change.

Textual repaints a whole widget on every assignment of a border title or subtitle, even of
the same text, and reads a title back in its own markup ("[#1f77b4]●[/]" comes back as
"[#1f77b4]●[/#1f77b4]"): comparing the text set with the one read back is never equal for
a coloured title, and the pane was repainted every frame (the GAN plane: 76 → 243 KB/s at
120x40). The comparison here is in Textual's own form.
"""

from __future__ import annotations

from textual.content import Content


def _as_stored(text: str | None) -> str | None:
    """The text as a widget reads it back once set (Textual's _BorderTitle.__set__/__get__,
    whose render_str is Content.from_markup for a str)."""
    if text is None:
        return None
    return Content.from_markup(text).expand_tabs(4).split()[0].markup


def set_border_title(widget, title: str | None) -> None:
    if _as_stored(title) != widget.border_title:
        widget.border_title = title


def set_border_subtitle(widget, subtitle: str | None) -> None:
    if _as_stored(subtitle) != widget.border_subtitle:
        widget.border_subtitle = subtitle
