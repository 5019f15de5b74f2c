"""Numbers a spreadsheet writes that are not plain decimals, for ``csv_columns``.

* ``1,037`` / ``1,234,567.5`` - a comma as thousands separator;
* ``1,5`` / ``1234,56`` - a comma as decimal mark (European exports);
* ``inf``, ``-Infinity``, ``1e999`` - infinite: no network input can hold
  one, so they are treated as missing (imputed and marked), with a note.

A comma is read only when the column says which it is: "1,5" or "1234,5"
can only be a decimal comma, "1,234,567" or "1,234.5" only thousands. A
column of only "1,037"-like values is ambiguous; the file's delimiter then
decides (in a comma-separated file those cells had to be quoted, as a
thousands separator is; semicolon files come from locales with a decimal
comma), and a tab or pipe file leaves the column as text, with a note. Every
reading that is not plain gets a note naming an example.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

THOUSANDS = "thousands"
DECIMAL = "decimal"

# ASCII digits only: float() would also accept "1_000" and non-Latin digits,
# none of which a spreadsheet means as a number.
_PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+", re.ASCII)
_INFINITY = re.compile(r"[+-]?inf(?:inity)?", re.ASCII | re.IGNORECASE)
# Digits with the separators of some locale (1.037,5  1 037  1'037  12%): a
# number to the user, but in no form read here.
_NUMBER_LIKE = re.compile(r"[+-]?[\d.,' \u00a0]*\d[\d.,' \u00a0]*%?", re.ASCII)


def parse_plain(cell: str) -> float | None:
    """The float a stripped cell spells as a plain decimal (may be inf on overflow), else None."""
    return float(cell) if _PLAIN.fullmatch(cell) else None


@dataclass(frozen=True)
class NumberReading:
    """cell -> value for every distinct present cell (NaN for infinite ones)."""

    values: dict[str, float]
    notes: tuple[str, ...]
    plain: bool  # every cell a finite plain decimal: float(cell) is its value


def read_numbers(name: str, cells: set[str], comma_default: str | None) -> NumberReading | tuple[str, ...]:
    """Read distinct present ``cells`` as numbers in one consistent style.

    Returns a ``NumberReading``, or (when they are not numbers) the notes
    that explain why a column that looks numeric stays text (may be empty).
    ``comma_default`` is THOUSANDS, DECIMAL or None for the ambiguous "1,037".
    """
    plain: dict[str, float] = {}
    infinite: list[str] = []
    commas: list[str] = []
    for cell in cells:
        value = parse_plain(cell)
        if value is not None:
            (plain.__setitem__(cell, value) if math.isfinite(value) else infinite.append(cell))
        elif _INFINITY.fullmatch(cell):
            infinite.append(cell)
        elif _THOUSANDS.fullmatch(cell) or _DECIMAL_COMMA.fullmatch(cell):
            commas.append(cell)
        else:
            return _looks_numeric_note(name, cells)
    notes: list[str] = []
    values = dict(plain)
    if commas:
        style = _comma_style(commas, comma_default)
        example = min(commas, key=lambda cell: (len(cell), cell))
        if style is None:
            return (f"{name}: values like {example!r} could use the comma for thousands or for "
                    f"decimals; read as text",)
        for cell in commas:
            values[cell] = _read_comma(cell, style)
        mark = "the thousands separator" if style == THOUSANDS else "the decimal mark"
        notes.append(f"{name}: read values like {example!r} with the comma as {mark}")
    for cell in infinite:
        values[cell] = math.nan
    if infinite:
        notes.append(f"{name}: infinite values ({', '.join(sorted(infinite)[:3])}) treated as missing")
    return NumberReading(values, tuple(notes), plain=not commas and not infinite)


def _comma_style(commas: list[str], default: str | None) -> str | None:
    thousands_only = decimal_only = False
    for cell in commas:
        thousands = _THOUSANDS.fullmatch(cell) is not None
        decimal = _DECIMAL_COMMA.fullmatch(cell) is not None
        thousands_only |= thousands and not decimal
        decimal_only |= decimal and not thousands
    if thousands_only and decimal_only:
        return None  # "1,5" and "1,234.5" in one column: no single reading
    if thousands_only:
        return THOUSANDS
    if decimal_only:
        return DECIMAL
    return default


def _read_comma(cell: str, style: str) -> float:
    return float(cell.replace(",", "") if style == THOUSANDS else cell.replace(",", "."))


def _looks_numeric_note(name: str, cells: set[str]) -> tuple[str, ...]:
    """A note when every cell looks like a number in a style not read here."""
    if cells and all(_NUMBER_LIKE.fullmatch(cell) for cell in cells):
        unread = [cell for cell in cells if parse_plain(cell) is None] or list(cells)
        example = min(unread, key=lambda cell: (len(cell), cell))
        return (f"{name}: values like {example!r} look like numbers in a style nn-tui does not "
                f"read (it reads 1234.5, 1,234.5 and 1234,5); read as text",)
    return ()
