"""Typing and encoding of single CSV columns, for ``nn_tui.data.csv_loader``.

A column's kind is decided by its values, never by its name:

* numeric  - every present value is a decimal number ("3", "-0.5", "1e3"), or
  in one spreadsheet style ("1,037", "1,5", "inf"; see ``csv_numbers``, which
  also writes the notes). A column of only 0/1 is numeric, not boolean.
* boolean  - every present value is one of true/false, yes/no, y/n, t/f
  (any case).
* text     - anything else.
* empty    - no value present at all.

Missing cells are "", "NA", "N/A", "NaN", "null", "None" and "?" (any case,
surrounding spaces ignored).

Encoding (statistics always from the training rows only, so the test rows
stay unseen):

* numeric  - missing -> training median, then standardised with the
  training mean/std (std 0 -> only centred).
* boolean  - 0/1; missing -> training mode (ties -> 0).
* text     - one-hot ``col=value``, categories sorted; a missing cell is its
  own category ``col=?`` (missingness often means something, e.g. no cabin
  deck recorded, and inventing the mode would hide that).
* A numeric or boolean column with missing cells also gets a 0/1
  ``col_missing`` indicator, for the same reason.
* One-hot, boolean and indicator columns stay 0/1, unscaled (already on
  the scale of a standardised input, and readable in the UI). One-hot keeps
  every category (no dropped reference level): the network does not care and
  every value keeps a visible input.
* Dropped, with a note: columns with no value, constant columns, and text
  columns with more than ``max_categories`` distinct values (names, ticket
  ids: one input per value would swamp the network).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from nn_tui.data.csv_numbers import NumberReading, read_numbers

NUMERIC = "numeric"
BOOLEAN = "boolean"
TEXT = "text"
EMPTY = "empty"

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})
TRUE_TOKENS = frozenset({"true", "yes", "y", "t"})
FALSE_TOKENS = frozenset({"false", "no", "n", "f"})

MISSING_CATEGORY = "?"

def is_missing(cell: str) -> bool:
    """True if a stripped cell means "no value"."""
    return cell.lower() in MISSING_TOKENS


def parse_boolean(cell: str) -> float | None:
    """1.0 / 0.0 for a true-ish / false-ish stripped cell, else None."""
    lowered = cell.lower()
    if lowered in TRUE_TOKENS:
        return 1.0
    if lowered in FALSE_TOKENS:
        return 0.0
    return None


def format_number(value: float) -> str:
    """Short human form for notes: 28.0, 0.125, 1.5e+07."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{value:.1f}"
    return f"{value:.6g}"


@dataclass(frozen=True, eq=False)
class Column:
    """One typed column. ``cells`` are stripped; ``values`` holds the numbers
    (numeric) or 0/1 (boolean) with NaN where missing, and is None for text."""

    name: str
    kind: str
    cells: tuple[str, ...]
    missing: np.ndarray
    values: np.ndarray | None
    notes: tuple[str, ...] = ()  # how unusual cells were read (or why they were not)

    @property
    def n_missing(self) -> int:
        return int(self.missing.sum())

    @cached_property
    def distinct(self) -> frozenset:
        """See ``distinct_values``; computed once (a column is asked twice)."""
        if self.values is not None:
            return frozenset(np.unique(self.values[~self.missing]).tolist())
        return frozenset(self.present_cells())

    def present_cells(self) -> list[str]:
        if not self.missing.any():
            return list(self.cells)
        return [cell for cell, gone in zip(self.cells, self.missing) if not gone]


def _parse_distinct(distinct: set[str], parse) -> dict[str, float] | None:
    """cell -> value for every distinct cell (missing -> NaN), or None if one
    does not parse."""
    values = {}
    for cell in distinct:
        value = np.nan if is_missing(cell) else parse(cell)
        if value is None:
            return None
        values[cell] = value
    return values


def type_column(name: str, raw_cells: list[str], comma_default: str | None = None) -> Column:
    """Decide a column's kind from its values (see the module docstring).

    ``comma_default`` says how to read a column of only "1,037"-like cells:
    ``csv_numbers.THOUSANDS``, ``csv_numbers.DECIMAL``, or None (as text).
    """
    cells = [cell.strip() for cell in raw_cells]
    # Parse each distinct cell once: columns repeat their values a lot.
    distinct = set(cells)
    missing_cells = {cell for cell in distinct if is_missing(cell)}
    present = distinct - missing_cells
    n = len(cells)
    if not present:
        return Column(name, EMPTY, tuple(cells), np.ones(n, dtype=bool), None)
    reading = read_numbers(name, present, comma_default)
    if isinstance(reading, NumberReading) and reading.plain and not missing_cells:
        # Every cell a plain decimal: numpy parses them as float() does, faster.
        values = np.array(cells, dtype=np.float64)
        return Column(name, NUMERIC, tuple(cells), np.zeros(n, dtype=bool), values, reading.notes)
    if isinstance(reading, NumberReading):
        lookup = dict.fromkeys(missing_cells, np.nan)
        lookup.update(reading.values)  # infinite cells are NaN here: missing too
        values = np.fromiter(map(lookup.__getitem__, cells), dtype=np.float64, count=n)
        missing = np.isnan(values)
        kind = EMPTY if missing.all() else NUMERIC
        return Column(name, kind, tuple(cells), missing, None if kind == EMPTY else values, reading.notes)
    missing = np.fromiter(map(missing_cells.__contains__, cells), dtype=bool, count=n)
    lookup = _parse_distinct(distinct, parse_boolean)
    if lookup is not None:
        values = np.fromiter(map(lookup.__getitem__, cells), dtype=np.float64, count=n)
        return Column(name, BOOLEAN, tuple(cells), missing, values)
    return Column(name, TEXT, tuple(cells), missing, None, reading)


@dataclass(frozen=True, eq=False)
class Encoded:
    """The network inputs made from one column: ``matrix`` is (N, len(names))."""

    names: tuple[str, ...]
    matrix: np.ndarray
    notes: tuple[str, ...]


def standardise(values: np.ndarray, train_idx: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Standardise with the training rows' mean/std; std 0 -> only centred.

    Returns (standardised values, mean, std). Values are first divided by the
    largest training magnitude so the mean and variance cannot overflow even
    for numbers near the float limit.
    """
    scale = float(np.max(np.abs(values[train_idx]))) if train_idx.size else 0.0
    if scale == 0.0:
        scale = 1.0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        unit = values / scale
        mean = float(unit[train_idx].mean())
        std = float(unit[train_idx].std())
        if std > 0.0:
            result = (unit - mean) / std
        else:
            result = values - mean * scale
    return result, mean * scale, std * scale


def _missing_indicator(column: Column) -> tuple[str, np.ndarray]:
    return f"{column.name}_missing", column.missing.astype(np.float64)


def encode_numeric(column: Column, train_idx: np.ndarray) -> Encoded | None:
    """Median-impute, standardise, and add ``col_missing`` if anything was missing.

    Returns None if the training rows hold no value to learn the median from.
    """
    return _encode_filled(
        column, train_idx,
        fill=lambda present: float(np.median(present)),
        describe=lambda median: f"median {format_number(median)}",
        scale=lambda filled: standardise(filled, train_idx)[0],
    )


def encode_boolean(column: Column, train_idx: np.ndarray) -> Encoded | None:
    """0/1, missing -> training mode (ties -> 0), plus ``col_missing`` if needed.

    Returns None if the training rows hold no value to take the mode of.
    """
    return _encode_filled(
        column, train_idx,
        fill=lambda present: 1.0 if (present == 1.0).sum() > (present == 0.0).sum() else 0.0,
        describe=lambda mode: f"mode {'true' if mode else 'false'}",
        scale=lambda filled: filled,
    )


def _encode_filled(column: Column, train_idx: np.ndarray, fill, describe, scale) -> Encoded | None:
    """What numeric and boolean columns share: missing cells get ``fill`` of the
    training rows' values (the user is told, as ``describe`` words it), the column
    is kept (through ``scale``) if it varies, and ``col_missing`` marks the filled rows."""
    train_values = column.values[train_idx]
    train_present = train_values[~np.isnan(train_values)]
    if train_present.size == 0:
        return None
    names: list[str] = []
    blocks: list[np.ndarray] = []
    notes: list[str] = []
    filled = column.values.copy()
    if column.n_missing:
        value = fill(train_present)
        filled[column.missing] = value
        notes.append(
            f"{column.name}: {column.n_missing} missing values filled with the training "
            f"{describe(value)} (column {column.name}_missing marks them)"
        )
    if len(distinct_values(column)) > 1:
        names.append(column.name)
        blocks.append(scale(filled))
    else:
        # One value besides the blanks: only "was it missing?" carries information.
        notes.append(f"{column.name}: only one value apart from missing ones; kept just {column.name}_missing")
    if column.n_missing:
        indicator_name, indicator = _missing_indicator(column)
        names.append(indicator_name)
        blocks.append(indicator)
    return Encoded(tuple(names), np.column_stack(blocks), tuple(notes))


def text_categories(column: Column) -> list[str]:
    """Sorted distinct present values of a text column."""
    return sorted(set(column.present_cells()))


def encode_text(column: Column) -> Encoded:
    """One-hot ``col=value`` over the sorted categories, missing -> ``col=?``.

    The categories come from every row (not just training) so a value first
    seen in the test rows still has a column, and the inputs do not depend on
    the seed; no target information is involved.
    """
    categories = text_categories(column)
    if column.n_missing:
        categories.append(MISSING_CATEGORY)
    position = {category: j for j, category in enumerate(categories)}
    position.update({cell: position[MISSING_CATEGORY] for cell in set(column.cells) if is_missing(cell)})
    codes = np.array([position[cell] for cell in column.cells], dtype=np.int64)
    matrix = np.zeros((len(column.cells), len(categories)))
    matrix[np.arange(codes.size), codes] = 1.0
    notes = []
    if column.n_missing:
        notes.append(f"{column.name}: {column.n_missing} missing values get their own category {column.name}=?")
    names = tuple(f"{column.name}={category}" for category in categories)
    return Encoded(names, matrix, tuple(notes))


def distinct_values(column: Column) -> frozenset:
    """Distinct present values: numbers compare as numbers ("0" == "0.0")."""
    return column.distinct


def why_unusable(column: Column, max_categories: int) -> str | None:
    """The note explaining why a feature column is dropped, or None to keep it."""
    if column.kind == EMPTY:
        return f"{column.name}: every value is missing; column dropped"
    distinct = distinct_values(column)
    if len(distinct) == 1 and column.n_missing == 0:
        return f"{column.name}: constant (always {column.cells[0]!r}); column dropped"
    if column.kind == TEXT and len(distinct) > max_categories:
        return (
            f"{column.name}: {len(distinct)} distinct text values (more than {max_categories}, "
            f"e.g. names or ids); column dropped"
        )
    return None


def encode_feature(column: Column, train_idx: np.ndarray) -> Encoded | None:
    """Encode a usable feature column; None if training rows give it no value."""
    if column.kind == NUMERIC:
        return encode_numeric(column, train_idx)
    if column.kind == BOOLEAN:
        return encode_boolean(column, train_idx)
    return encode_text(column)


# ---------------------------------------------------------------- target --

MAX_INTEGER_CLASSES = 10


@dataclass(frozen=True, eq=False)
class TargetKind:
    """How a target column will be learned: classes (with names) or regression."""

    is_classification: bool
    labels: np.ndarray | None  # int64 class index per row, classification only
    class_names: tuple[str, ...] | None
    reason: str


def _boolean_class_names(column: Column) -> tuple[str, str]:
    """The file's own spellings ("no"/"yes", "False"/"True") when each side has
    exactly one; otherwise "False"/"True"."""
    spellings = {0.0: set(), 1.0: set()}
    for cell in set(column.present_cells()):  # each distinct cell once: targets repeat
        spellings[parse_boolean(cell)].add(cell)
    if len(spellings[0.0]) == 1 and len(spellings[1.0]) == 1:
        return next(iter(spellings[0.0])), next(iter(spellings[1.0]))
    return "False", "True"


def classify_target(column: Column) -> TargetKind:
    """Classification if the target is text/boolean, or has at most
    ``MAX_INTEGER_CLASSES`` distinct values that are all integers; else regression.

    ``column`` must have no missing cells (those rows are dropped first).
    """
    if column.kind == NUMERIC:
        distinct = np.unique(column.values)
        all_integers = bool(np.all(distinct == np.round(distinct)))
        if not (all_integers and distinct.size <= MAX_INTEGER_CLASSES):
            return TargetKind(
                False, None, None,
                f"{distinct.size} distinct numeric values"
                + ("" if all_integers else ", not all integers")
                + f" -> regression (classification needs <= {MAX_INTEGER_CLASSES} distinct integers)",
            )
        labels = np.searchsorted(distinct, column.values).astype(np.int64)
        names = tuple(str(int(value)) for value in distinct)
        return TargetKind(True, labels, names, f"{distinct.size} distinct integer values -> classification")
    if column.kind == BOOLEAN:
        labels = column.values.astype(np.int64)
        return TargetKind(True, labels, _boolean_class_names(column), "true/false values -> classification")
    categories = text_categories(column)
    position = {category: j for j, category in enumerate(categories)}
    labels = np.array([position[cell] for cell in column.cells], dtype=np.int64)
    return TargetKind(True, labels, tuple(categories), "text values -> classification")
