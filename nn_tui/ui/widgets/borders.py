"""Border texts set only when they change.

Textual repaints a whole widget on every assignment of a border title or subtitle, even of
the same text, and reads a title back in its own markup ("[#1f77b4]●[/]" comes back as
"[#1f77b4]●[/#1f77b4]"): comparing the text set with the one read back is never equal for
a coloured title, and the pane was repainted every frame (the GAN plane: 76 → 243 KB/s at
120x40). The comparison here is in Textual's own form.

Where a title is longer than its pane is wide, ``top_and_bottom`` lays its parts whole on
the top border and the bottom one (Textual cuts a title with "…", mid-word).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.markup import escape
from rich.text import Text
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


def markup_cells(markup: str) -> int:
    """The cells a markup title takes on screen (its plain text's width)."""
    return cell_len(Text.from_markup(markup).plain)


def top_and_bottom(parts, room: int, sep: str = " · ", hints=()) -> tuple[str, str]:
    """Title parts (markup, in order) laid on a pane's top border and, where they do not fit
    there, on its bottom one, each part whole: (top, bottom). A part may be a tuple of
    forms, longest first (an empty form: the part left out at that length): where the full
    forms do not fit on the two borders, every part takes its next shorter form, and so on.
    What still does not fit keeps its first whole words and "…" (a part), or ends the bottom
    border with "…" (parts left off). `hints`: key hints, which go on the bottom border
    only, after what the title has no room for on the top one.
    `room`: the cells a border has for its text (the pane's width less 6)."""
    forms = [(part,) if isinstance(part, str) else tuple(part) for part in parts if part]
    hints = [hint for hint in hints if hint]
    if room <= 0 or not forms:
        return sep.join(form[0] for form in forms), sep.join(hints)
    levels = max(len(form) for form in forms)
    for level in range(levels):
        chosen = [form[min(level, len(form) - 1)] for form in forms]
        chosen = [part for part in chosen if part]
        lines, rest = _fill([*chosen, *hints], room, sep, len(chosen))
        if not rest:
            return lines[0], lines[1]
    cut = [part if markup_cells(part) <= room else _first_words(Text.from_markup(part).plain, room)
           for part in chosen]
    lines, rest = _fill([*cut, *hints], room, sep, len(cut))
    if rest:
        ending = "…" if not lines[1] else f"{lines[1]}{sep}…"
        lines[1] = ending if markup_cells(ending) <= room else lines[1]
    return lines[0], lines[1]


def lay_title(widget, parts, sep: str = " · ", hints=()) -> None:
    """A title's parts laid whole on the widget's top and bottom borders (``top_and_bottom``
    in its border's room; `hints` on the bottom one), each set only when it changes. Before
    the first layout (width 0) the parts go on the top border joined, to be laid again on
    resize."""
    top, bottom = top_and_bottom(parts, widget.outer_size.width - 6, sep, hints)
    set_border_title(widget, top)
    set_border_subtitle(widget, bottom or None)


def _fill(parts: list[str], room: int, sep: str, on_top: int | None = None) -> tuple[list[str], list[str]]:
    """Two lines of whole parts in order, each as full as `room` allows (the top one only
    of the first `on_top` parts); the parts left over."""
    lines, index, limit = [], 0, len(parts) if on_top is None else on_top
    for _ in range(2):
        line: list[str] = []
        while index < limit and markup_cells(sep.join([*line, parts[index]])) <= room:
            line.append(parts[index])
            index += 1
        lines.append(sep.join(line))
        limit = len(parts)
    return lines, parts[index:]


def _first_words(text: str, room: int) -> str:
    """``whole_words`` as markup."""
    return escape(whole_words(text, room))


def whole_words(text: str, room: int) -> str:
    """The first whole words of `text` and "…" in `room` cells (never a word cut in two)."""
    shown = ""
    for word in text.split():
        if cell_len(f"{shown} {word}".strip()) + 1 > room:
            break
        shown = f"{shown} {word}".strip()
    return (shown or text[:max(room - 1, 1)]) + "…"
