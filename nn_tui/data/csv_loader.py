"""Load any CSV file as a train/test ``Dataset``: "push every column into the network".

Reading: the csv module, delimiter sniffed among , ; tab | (comma when in
doubt), UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 (Excel's
default) with a note. A header row is required. Files with NUL bytes (outside
UTF-16) are refused as "not a text CSV".

Column typing and encoding are described in ``nn_tui.data.csv_columns``.

Target: classification if it is text/boolean or has at most 10 distinct values
that are all integers; otherwise regression. Rows with a missing target are
dropped. Binary targets give y (N, 1) of 0/1, the classes sorted (False before
True, 0 before 1, text alphabetically); multiclass targets give one-hot
(N, k). Regression targets are standardised with the training mean/std (a
note records both, so predictions can be mapped back) because raw units such
as prices would make the squared error, and the gradients, explode.

Split: stratified for classification, random for regression (``nn_tui.data.split``).
Every problem raises ``DataError`` with a one-line message naming the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from itertools import islice
from operator import itemgetter
from pathlib import Path

import numpy as np

from nn_tui.data.csv_numbers import DECIMAL, THOUSANDS
from nn_tui.data.csv_text import MAX_CSV_BYTES, decode_text, read_bytes
from nn_tui.data.csv_columns import (
    Column,
    classify_target,
    encode_feature,
    format_number,
    is_missing,
    standardise,
    type_column,
    why_unusable,
)
from nn_tui.data.dataset import BINARY, MULTICLASS, REGRESSION, Dataset, DataError
from nn_tui.data.split import check_train_ratio, random_split, stratified_split

DELIMITERS = (",", ";", "\t", "|")  # sniffing order; the first wins ties
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# How a column of only "1,037"-like cells reads: in a comma file they had to
# be quoted, as thousands separators are; semicolon files come from locales
# with a decimal comma; tab and pipe say nothing (see csv_numbers).
COMMA_DEFAULTS = {",": THOUSANDS, ";": DECIMAL}
SNIFF_RECORDS = 20
MIN_ROWS = 4  # fewest rows that still leave a few to train on and one to test
MIN_ROWS_PER_CLASS = 2  # a stratified split needs one row per class on each side
MAX_CELLS = 25_000_000  # rows × columns held as Python strings: about 1.5 GB at most
MAX_COLUMNS = 20_000  # gene-expression tables have this many; each column costs Python work
MAX_INPUT_VALUES = 50_000_000  # inputs × rows after one-hot: 400 MB of float64
MAX_DROP_NOTES = 10  # a note per dropped column, then a count: a wide file must not flood the screen


def load_csv(
    path: str | Path,
    target: str,
    drop: Iterable[str] = (),
    train_ratio: float = 0.75,
    seed: int = 0,
    max_categories: int = 50,
    max_bytes: int = MAX_CSV_BYTES,
) -> Dataset:
    """Read ``path`` and turn it into a ``Dataset`` predicting column ``target``.

    ``drop`` names columns to ignore (e.g. a column that repeats the target).
    ``train_ratio`` (0.1-0.9) of the rows go to training; ``seed`` fixes the
    split. Text columns with more than ``max_categories`` distinct values are
    dropped. Files over ``max_bytes`` are refused before they are read.
    Raises ``DataError`` (one line, naming the file) on any problem.
    """
    path = Path(path)
    train_ratio = check_train_ratio(train_ratio)
    if isinstance(max_categories, bool) or not isinstance(max_categories, int) or max_categories < 1:
        raise DataError(f"max_categories must be a positive integer, got {max_categories!r}")
    notes: list[str] = []

    text = read_text(path, notes, max_bytes)
    header, rows, delimiter = parse_table(text, path, notes)
    comma_default = COMMA_DEFAULTS.get(delimiter)
    # One column at a time through itemgetter: zip(*rows) is four times slower.
    columns = {name: tuple(map(itemgetter(j), rows)) for j, name in enumerate(header)}
    del rows

    target_name = resolve_column(target, header, path)
    dropped = resolve_drops(drop, header, target_name, path)
    if dropped:
        notes.append(f"dropped on request: {', '.join(dropped)}")

    rows_kept = rows_with_target(columns[target_name], target_name, notes)
    check_row_count(rows_kept.size, path)
    target_column = type_column(target_name, cells_of(columns[target_name], rows_kept), comma_default)
    notes.extend(target_column.notes)
    if target_column.n_missing:  # infinite targets, which read as missing
        notes.append(f"{target_name}: {target_column.n_missing} rows with an infinite target dropped")
        rows_kept = rows_kept[~target_column.missing]
        check_row_count(rows_kept.size, path)
        target_column = type_column(target_name, cells_of(columns[target_name], rows_kept), comma_default)
    task, y_all, class_names, labels = encode_target(target_column, max_categories, path, notes)

    rng = np.random.default_rng(seed)
    if labels is not None:
        check_class_sizes(labels, class_names, target_name, path)
        train_idx, test_idx = stratified_split(labels, train_ratio, rng)
        how = f"split stratified by {target_name}"
    else:
        train_idx, test_idx = random_split(rows_kept.size, train_ratio, rng)
        how = "random split"
    notes.append(f"{rows_kept.size} rows: {train_idx.size} for training, {test_idx.size} for testing ({how})")
    if task == REGRESSION:
        y_all = standardise_target(y_all, train_idx, target_name, notes)

    feature_names = [name for name in header if name != target_name and name not in dropped]
    X_all, input_names = encode_features(
        feature_names, columns, rows_kept, train_idx, max_categories, comma_default, path, notes
    )
    check_finite(X_all, input_names, path)
    check_finite(y_all, [target_name] * y_all.shape[1], path)

    return Dataset(
        name=path.stem,
        task=task,
        X_train=X_all[train_idx],
        y_train=y_all[train_idx],
        X_test=X_all[test_idx],
        y_test=y_all[test_idx],
        input_names=tuple(input_names),
        class_names=class_names,
        is_plane=False,
        notes=tuple(notes),
    )


# ------------------------------------------------------------- reading --


def read_text(path: Path, notes: list[str], max_bytes: int = MAX_CSV_BYTES) -> str:
    """The file's text, read within ``max_bytes`` (see ``nn_tui.data.csv_text``)."""
    return decode_text(read_bytes(path, max_bytes), path, notes)


def records(text: str, delimiter: str, path: Path) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, fields) for every non-blank record. Line numbers
    count from 1 and include the header; a quoted field may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    last_line = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise DataError(f"{path} line {reader.line_num}: not valid CSV ({error})") from None
        first_line, last_line = last_line + 1, reader.line_num
        if fields:  # csv gives [] for a blank line
            yield first_line, last_line, fields


def quote_left_open(text: str, first_line: int, delimiter: str) -> bool:
    """True if the record starting at ``first_line`` opens a quote that the
    rest of the file never closes (the lenient csv reader would silently run
    that field to the end of the file)."""
    tail = "".join(io.StringIO(text, newline="").readlines()[first_line - 1:])
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as error:
        return "end of data" in str(error)  # csv's words for EOF inside quotes
    return False


def sniff_delimiter(text: str, path: Path) -> str:
    """The delimiter that splits the header into the most columns while giving
    every one of the first records the same count; comma if none splits it."""
    best, best_width, fallback, fallback_width = None, 1, ",", 1
    for delimiter in DELIMITERS:
        try:
            sample = islice(records(text, delimiter, path), SNIFF_RECORDS)
            widths = [len(fields) for _, _, fields in sample]
        except DataError:  # this delimiter is not the one; parse_table reports real errors
            continue
        if not widths or widths[0] <= 1:
            continue
        if widths[0] > fallback_width:  # ragged, but at least it splits the header
            fallback, fallback_width = delimiter, widths[0]
        if all(width == widths[0] for width in widths) and widths[0] > best_width:
            best, best_width = delimiter, widths[0]
    return best if best is not None else fallback


def parse_table(text: str, path: Path, notes: list[str]) -> tuple[list[str], list[list[str]], str]:
    """Header names, data rows (raw fields), checked for shape, and the delimiter."""
    if not text.strip():
        raise DataError(f"{path} is empty")
    delimiter = sniff_delimiter(text, path)
    if delimiter != ",":
        notes.append(f"columns separated by {DELIMITER_NAMES[delimiter]}s")
    fast = read_rows_quickly(text, delimiter, path, notes)
    if fast is not None:
        return (*fast, delimiter)
    return (*read_rows_checked(text, delimiter, path, notes), delimiter)


def read_rows_quickly(text: str, delimiter: str, path: Path, notes: list[str]):
    """(header, rows) when the file is well formed, read without a Python step
    per row (a 50 MB file has most of a million); None sends it to
    ``read_rows_checked``, which finds and words the problem."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header_fields = next((fields for fields in reader if fields), None)
        if header_fields is None:
            return None
        header_notes: list[str] = []  # kept only if this path succeeds
        header = header_names(header_fields, path, header_notes)  # first: it refuses a huge header
        max_rows = max(1, MAX_CELLS // len(header_fields))
        rows = list(islice(reader, max_rows + 1))
    except csv.Error:
        return None
    widths = set(map(len, rows))
    if 0 in widths:  # blank lines
        rows = [fields for fields in rows if fields]
        widths.discard(0)
    if not rows or widths != {len(header_fields)} or len(rows) >= max_rows:
        return None
    if any("\n" in field or "\r" in field for field in rows[-1]):
        return None  # maybe a quote left open that ran to the end: checked there
    notes.extend(header_notes)
    return header, rows


def read_rows_checked(text: str, delimiter: str, path: Path, notes: list[str]) -> tuple[list[str], list[list[str]]]:
    """Header names and data rows, record by record, raising DataError with
    the line of the first problem."""
    rows: list[list[str]] = []
    header: list[str] | None = None
    first_line = last_line = 0
    max_rows = 0
    for first_line, last_line, fields in records(text, delimiter, path):
        if header is None:
            header = header_names(fields, path, notes)
            max_rows = max(1, MAX_CELLS // len(header))
        elif len(fields) != len(header):
            if last_line > first_line and quote_left_open(text, first_line, delimiter):
                raise DataError(unclosed_quote(path, first_line))
            spans = f" (a quoted field runs from line {first_line})" if last_line > first_line else ""
            raise DataError(
                f"{path} line {last_line} has {len(fields)} fields but the header has {len(header)}{spans}"
            )
        else:
            rows.append(fields)
            if len(rows) > max_rows:
                raise DataError(
                    f"{path} has more than {MAX_CELLS:,} cells ({len(header)} columns); "
                    f"nn-tui reads at most {max_rows:,} rows of it"
                )
    if header is None:
        raise DataError(f"{path} is empty")
    if last_line > first_line and quote_left_open(text, first_line, delimiter):
        raise DataError(unclosed_quote(path, first_line))
    if not rows:
        raise DataError(f"{path} has a header but no data rows")
    return header, rows


def unclosed_quote(path: Path, line: int) -> str:
    return f"{path} line {line}: a quote opens a field and is never closed"


def header_names(fields: list[str], path: Path, notes: list[str]) -> list[str]:
    """Column names with whitespace runs (even newlines) collapsed to one space,
    so every message stays on one line; blank names become column_N;
    duplicates are an error."""
    if len(fields) > MAX_COLUMNS:
        raise DataError(f"{path} has {len(fields):,} columns; nn-tui reads at most {MAX_COLUMNS:,}")
    names = []
    for position, field in enumerate(fields, start=1):
        name = " ".join(field.split())
        if not name:
            name = f"column_{position}"
            notes.append(f"column {position} has no name in the header; called it {name}")
        names.append(name)
    seen: set[str] = set()
    duplicates = sorted({name for name in names if name in seen or seen.add(name)})
    if duplicates:
        raise DataError(f"{path} has duplicate column names: {', '.join(duplicates)}")
    return names


# ------------------------------------------------------------- columns --


def resolve_column(name: str, header: list[str], path: Path) -> str:
    """The header name meant by ``name``: exact match, else a unique
    case-insensitive match."""
    if name in header:
        return name
    wanted = " ".join(str(name).split()).casefold()
    folded = [column for column in header if column.casefold() == wanted]
    if len(folded) == 1:
        return folded[0]
    raise DataError(f"no column '{name}' in {path}; columns are: {', '.join(header)}")


def resolve_drops(drop: Iterable[str], header: list[str], target_name: str, path: Path) -> list[str]:
    """Header names of the columns to drop, in the order given, without repeats."""
    if isinstance(drop, str):  # drop="alive" means one column, not five letters
        drop = [drop]
    dropped: list[str] = []
    for name in drop:
        resolved = resolve_column(name, header, path)
        if resolved == target_name:
            raise DataError(f"cannot drop '{name}' from {path}: it is the target")
        if resolved not in dropped:
            dropped.append(resolved)
    return dropped


def rows_with_target(target_cells: tuple[str, ...], target_name: str, notes: list[str]) -> np.ndarray:
    """Indices of the rows whose target is present (a note counts the others)."""
    absent = {cell for cell in set(target_cells) if is_missing(cell.strip())}  # distinct cells, once each
    present = ~np.fromiter(map(absent.__contains__, target_cells), dtype=bool, count=len(target_cells))
    n_missing = int((~present).sum())
    if n_missing:
        notes.append(f"{target_name}: {n_missing} rows with a missing target dropped")
    return np.flatnonzero(present)


def cells_of(cells: tuple[str, ...], rows: np.ndarray) -> list[str] | tuple[str, ...]:
    """The cells of the kept rows (all of them, usually: then no copy)."""
    if rows.size == len(cells):
        return cells
    return [cells[i] for i in rows.tolist()]


def check_row_count(n_rows: int, path: Path) -> None:
    if n_rows < MIN_ROWS:
        raise DataError(
            f"too few rows in {path}: {n_rows} with a target, need at least {MIN_ROWS}"
        )


# -------------------------------------------------------------- target --


def encode_target(
    column: Column, max_categories: int, path: Path, notes: list[str]
) -> tuple[str, np.ndarray, tuple[str, ...] | None, np.ndarray | None]:
    """(task, y for every kept row, class names, integer labels or None)."""
    kind = classify_target(column)
    if kind.is_classification and len(kind.class_names) > max_categories:
        raise DataError(
            # max_categories is no CLI option: name the one choice a user has.
            f"target '{column.name}' in {path} has {len(kind.class_names)} classes, "
            f"more than the {max_categories} nn-tui learns from a CSV; choose another --target"
        )
    notes.append(f"target {column.name}: {kind.reason}")
    if not kind.is_classification:
        if np.unique(column.values).size < 2:
            raise DataError(
                f"target '{column.name}' in {path} has only one value "
                f"({column.cells[0]!r}); nothing to learn"
            )
        return REGRESSION, column.values.reshape(-1, 1).copy(), None, None
    observed = np.unique(kind.labels)
    if observed.size < 2:
        raise DataError(
            f"target '{column.name}' in {path} has only one class "
            f"({column.cells[0]!r}); nothing to learn"
        )
    if len(kind.class_names) == 2:
        return BINARY, kind.labels.astype(np.float64).reshape(-1, 1), kind.class_names, kind.labels
    one_hot = np.eye(len(kind.class_names))[kind.labels]
    return MULTICLASS, one_hot, kind.class_names, kind.labels


def check_class_sizes(
    labels: np.ndarray, class_names: tuple[str, ...], target_name: str, path: Path
) -> None:
    """Every class needs a row on each side of the stratified split."""
    counts = np.bincount(labels, minlength=len(class_names))
    for name, count in zip(class_names, counts):
        if count < MIN_ROWS_PER_CLASS:
            raise DataError(
                f"class {name!r} of target '{target_name}' in {path} has only {count} row(s); "
                f"each class needs at least {MIN_ROWS_PER_CLASS} to split into train and test"
            )


def standardise_target(y: np.ndarray, train_idx: np.ndarray, target_name: str, notes: list[str]) -> np.ndarray:
    scaled, mean, std = standardise(y[:, 0], train_idx)
    if std == 0.0:
        std = 1.0  # constant on the training rows: only centred, so undo with std 1
    notes.append(
        f"target {target_name}: standardised with the training mean {format_number(mean)} and "
        f"std {format_number(std)} (original = prediction * {format_number(std)} + {format_number(mean)})"
    )
    return scaled.reshape(-1, 1)


# ------------------------------------------------------------ features --


def encode_features(
    names: list[str],
    columns: dict[str, tuple[str, ...]],
    rows_kept: np.ndarray,
    train_idx: np.ndarray,
    max_categories: int,
    comma_default: str | None,
    path: Path,
    notes: list[str],
) -> tuple[np.ndarray, list[str]]:
    """The input matrix for the kept rows and its column names, in file order."""
    blocks: list[np.ndarray] = []
    input_names: list[str] = []
    n_values = 0
    dropped: list[str] = []
    for name in names:
        column = type_column(name, cells_of(columns[name], rows_kept), comma_default)
        notes.extend(column.notes)
        reason = why_unusable(column, max_categories)
        if reason is not None:
            dropped.append(reason)
            continue
        encoded = encode_feature(column, train_idx)
        if encoded is None:
            dropped.append(f"{name}: no value in the training rows; column dropped")
            continue
        n_values += encoded.matrix.size
        if n_values > MAX_INPUT_VALUES:  # one-hot columns can multiply a small file
            raise DataError(
                f"{path} makes more than {MAX_INPUT_VALUES:,} network inputs × rows "
                f"(at column {name}); drop some columns with --drop"
            )
        notes.extend(encoded.notes)
        blocks.append(encoded.matrix)
        input_names.extend(encoded.names)
    notes.extend(dropped[:MAX_DROP_NOTES])
    if len(dropped) > MAX_DROP_NOTES:
        notes.append(f"... and {len(dropped) - MAX_DROP_NOTES} more columns dropped for the same kinds of reason")
    if not blocks:
        raise DataError(f"no feature columns left in {path} besides the target")
    return np.column_stack(blocks), distinct_input_names(input_names)


def distinct_input_names(names: list[str]) -> list[str]:
    """One-line names, made unique with #2, #3... ("age_missing" may already be
    a column, and a one-hot value may hold a newline)."""
    seen: set[str] = set()
    result = []
    for name in names:
        base = " ".join(name.split())
        candidate, copy = base, 2
        while candidate in seen:
            candidate, copy = f"{base}#{copy}", copy + 1
        seen.add(candidate)
        result.append(candidate)
    return result


def check_finite(X: np.ndarray, input_names: list[str], path: Path) -> None:
    """Refuse numbers so extreme that standardising them overflowed."""
    bad = ~np.isfinite(X).all(axis=0)
    if bad.any():
        worst = input_names[int(np.flatnonzero(bad)[0])]
        raise DataError(f"column {worst} in {path} has values too extreme to standardise")
