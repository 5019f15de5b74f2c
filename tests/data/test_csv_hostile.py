"""Hostile CSV input (issue 12): bounded reads, unclosed quotes, mixed encodings,
and errors that name only what a user can change. Every file is written here."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from nn_tui.data import csv_loader
from nn_tui.data.csv_loader import load_csv
from nn_tui.data.dataset import DataError


def write(tmp_path: Path, content: str | bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load_error(path, target="label", **kwargs) -> str:
    with pytest.raises(DataError) as info:
        load_csv(path, target, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


# ------------------------------------------------------------------ size --


def test_a_file_over_the_budget_is_refused_before_it_is_read(tmp_path):
    path = write(tmp_path, "x,label\n" + "1,a\n2,b\n" * 1000)
    message = load_error(path, max_bytes=1000)
    assert "nn-tui reads CSV files up to 1000 bytes" in message and "data.csv" in message


def test_the_default_budget_refuses_a_sparse_file_of_a_gigabyte_at_once(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:  # sparse: takes no disk and no time
        handle.truncate(1024**3)
    assert "nn-tui reads CSV files up to 100 MB" in load_error(path)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused_after_the_first_chunk():
    assert "not a text CSV (it contains NUL bytes)" in load_error("/dev/zero")


def test_an_endless_text_stream_stops_at_the_budget(tmp_path):
    fifo = tmp_path / "stream.csv"
    os.mkfifo(fifo)
    stop = threading.Event()

    def feed():
        try:
            with open(fifo, "wb") as handle:
                while not stop.is_set():
                    handle.write(b"1,a\n" * 1024)
        except BrokenPipeError:
            pass  # the loader stopped reading, as it should

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        message = load_error(fifo, max_bytes=64 * 1024)
    finally:
        stop.set()
    writer.join(timeout=5)
    assert "is larger than 65536 bytes, the most nn-tui reads" in message


def test_too_many_cells_are_refused_while_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_loader, "MAX_CELLS", 100)
    path = write(tmp_path, "x,label\n" + "1,a\n2,b\n" * 100)
    assert "more than 100 cells (2 columns); nn-tui reads at most 50 rows" in load_error(path)


# ---------------------------------------------------------------- quotes --


def test_a_quote_never_closed_is_named_not_a_field_count(tmp_path):
    # The open quote swallows the rest of the file into one field of a short record.
    path = write(tmp_path, 'x,label\n1,a\n"2,b\n3,a\n4,b\n5,a\n6,b\n')
    assert load_error(path).endswith("data.csv line 3: a quote opens a field and is never closed")


def test_a_quote_never_closed_in_the_last_column_is_not_too_few_rows(tmp_path):
    # Here the record even has the header's field count: one row, then EOF.
    path = write(tmp_path, 'x,label\n1,"a\n2,b\n3,a\n4,b\n5,a\n')
    message = load_error(path)
    assert "line 2: a quote opens a field and is never closed" in message
    assert "too few rows" not in message


def test_a_quoted_field_over_several_lines_still_loads(tmp_path):
    path = write(tmp_path, 'x,note,label\n1,"two\nlines",a\n2,b,b\n3,c,a\n4,d,b\n5,e,a\n6,f,b\n')
    assert load_csv(path, "label").X_train.shape[0] == 4


def test_a_record_cut_short_by_a_late_closing_quote_says_where_it_began(tmp_path):
    path = write(tmp_path, 'x,y,label\n"1,a\n2",b\n3,c,a\n')
    assert "line 3 has 2 fields but the header has 3 (a quoted field runs from line 2)" in load_error(path)


# -------------------------------------------------------------- encodings --


def test_a_file_mixing_utf8_and_windows_1252_keeps_both(tmp_path):
    content = "x,label\n1,café\n2,naïve\n".encode() + "3,café\n4,naïve\n".encode("cp1252") + b"5,caf\xc3\xa9\n6,na\xc3\xafve\n"
    ds = load_csv(write(tmp_path, content), "label")
    assert ds.class_names == ("café", "naïve")
    assert any("file mixes encodings" in note and "line 4" in note for note in ds.notes)


def test_bytes_neither_utf8_nor_windows_1252_are_refused(tmp_path):
    path = write(tmp_path, b"x,label\n1,a\x81\n2,b\n3,a\n4,b\n")
    assert "not a text CSV (not valid UTF-8 or Windows-1252)" in load_error(path)


# ---------------------------------------------------------------- classes --


def test_too_many_classes_names_an_option_a_user_has(tmp_path):
    text = "x,label\n" + "".join(f"{i},c{i % 100}\n" for i in range(300))
    message = load_error(write(tmp_path, text))
    assert "has 100 classes, more than the 50 nn-tui learns from a CSV; choose another --target" in message
    assert "max_categories" not in message  # not an option of nn-tui or nn-tui train


# --------------------------------------------------------- odd shapes --


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"", "is empty"),
        (b"\n\n  \n", "is empty"),
        (bytes(range(256)) * 64, "not a text CSV"),
        (b"label\na\nb\na\nb\n", "no feature columns left"),
        (("," .join(f"c{i}" for i in range(10**6)) + "\n").encode(), "has 1,000,000 columns; nn-tui reads at most 20,000"),
        (b"x,label\n1,a\n2,\x00b\n", "NUL bytes"),
    ],
    ids=["empty", "blank", "binary", "one-column", "million-column-header", "nul"],
)
def test_odd_files_get_one_line(tmp_path, content, phrase):
    assert phrase in load_error(write(tmp_path, content))


def test_a_million_columns_with_rows_are_refused_at_the_header(tmp_path):
    # Loading it took 54 s of CPU and made 200,000 notes before the limit.
    header = ",".join(f"c{i}" for i in range(10**6)) + ",label\n"
    row = ",".join(str(i % 5) for i in range(10**6))
    path = write(tmp_path, header + "".join(row + f",{label}\n" for label in "abab"))
    assert load_error(path).endswith("has 1,000,001 columns; nn-tui reads at most 20,000")


def test_the_widest_file_allowed_still_loads(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_loader, "MAX_COLUMNS", 50)
    header = ",".join(f"c{i}" for i in range(49)) + ",label\n"
    rows = "".join(",".join(str((i * r) % 3) for i in range(49)) + f",{'ab'[r % 2]}\n" for r in range(8))
    assert load_csv(write(tmp_path, header + rows), "label").n_inputs > 0
    monkeypatch.setattr(csv_loader, "MAX_COLUMNS", 49)
    assert "has 50 columns; nn-tui reads at most 49" in load_error(write(tmp_path, header + rows))


def test_many_dropped_columns_give_ten_notes_and_a_count(tmp_path):
    header = ",".join(f"c{i}" for i in range(30)) + ",x,label\n"
    rows = "".join(",".join("7" for _ in range(30)) + f",{r},{'ab'[r % 2]}\n" for r in range(8))
    ds = load_csv(write(tmp_path, header + rows), "label")
    constant = [note for note in ds.notes if "constant" in note]
    assert len(constant) == 10
    assert "... and 20 more columns dropped for the same kinds of reason" in ds.notes


def test_one_hot_columns_that_would_make_too_many_inputs_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_loader, "MAX_INPUT_VALUES", 100)
    rows = "".join(f"{i},v{i % 20},{'ab'[i % 2]}\n" for i in range(40))
    message = load_error(write(tmp_path, "x,word,label\n" + rows))
    assert "makes more than 100 network inputs × rows (at column word); drop some columns with --drop" in message
