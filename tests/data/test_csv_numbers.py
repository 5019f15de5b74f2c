"""Numbers in spreadsheet styles (issue 12): "1,037", "1,5" and "inf" are read
as numbers where the column is unambiguous, and named in a note either way."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nn_tui.data.csv_columns import NUMERIC, TEXT, type_column
from nn_tui.data.csv_loader import load_csv
from nn_tui.data.csv_numbers import DECIMAL, THOUSANDS


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return path


def raw_values(ds, name):
    """The column before standardising, recovered up to scale: its rank order."""
    j = ds.input_names.index(name)
    return np.concatenate([ds.X_train[:, j], ds.X_test[:, j]])


def test_quoted_thousands_in_a_comma_file_are_one_number(tmp_path):
    text = 'price,label\n"1,037",a\n"2,500",b\n"3,100",a\n"4,000",b\n"1,200",a\n900,b\n'
    ds = load_csv(write(tmp_path, text), "label")
    assert ds.input_names == ("price",)  # not price=1,037, price=1,200, ...
    assert "price: read values like '1,037' with the comma as the thousands separator" in ds.notes


def test_decimal_commas_in_a_semicolon_file_are_one_number(tmp_path):
    text = "x;label\n1,5;a\n2,5;b\n3,1;a\n4,0;b\n1,2;a\n0,9;b\n"
    ds = load_csv(write(tmp_path, text), "label")
    assert ds.input_names == ("x",)
    assert "x: read values like '0,9' with the comma as the decimal mark" in ds.notes


@pytest.mark.parametrize(
    ("cells", "default", "expected"),
    [
        (["1,037", "2,500", "12"], THOUSANDS, [1037.0, 2500.0, 12.0]),
        (["1,037", "2,500", "12"], DECIMAL, [1.037, 2.5, 12.0]),
        (["1,037", "1,234,567", "-3"], None, [1037.0, 1234567.0, -3.0]),  # two groups: thousands
        (["1,037", "2,500.25", "7"], DECIMAL, [1037.0, 2500.25, 7.0]),  # a dot after: thousands
        (["1,037", "1,5", "7"], THOUSANDS, [1.037, 1.5, 7.0]),  # one digit after: decimal
        (["1234,56", ",5", "7"], None, [1234.56, 0.5, 7.0]),
    ],
)
def test_the_column_decides_the_comma_before_the_default(cells, default, expected):
    column = type_column("x", cells, default)
    assert column.kind == NUMERIC
    np.testing.assert_allclose(column.values, expected)
    assert len(column.notes) == 1 and "x: read values like" in column.notes[0]


def test_an_ambiguous_comma_without_a_default_stays_text_and_says_why():
    column = type_column("x", ["1,037", "2,500", "12"], None)
    assert column.kind == TEXT
    assert column.notes == ("x: values like '1,037' could use the comma for thousands or for decimals; read as text",)


def test_two_comma_styles_in_one_column_stay_text():
    column = type_column("x", ["1,5", "1,234.5", "2"], THOUSANDS)
    assert column.kind == TEXT and "read as text" in column.notes[0]


def test_numbers_in_a_style_not_read_are_named():
    column = type_column("x", ["1.037,5", "12%", "3"], None)
    assert column.kind == TEXT
    assert column.notes[0].startswith("x: values like '12%' look like numbers in a style nn-tui does not read")


def test_plain_text_gets_no_number_note():
    assert type_column("x", ["red", "green", "7"], THOUSANDS).notes == ()


@pytest.mark.parametrize("token", ["inf", "-inf", "Infinity", "+INF", "1e999", "-2e400"])
def test_infinite_values_are_missing_with_a_note(token):
    column = type_column("x", ["1", token, "3"], None)
    assert column.kind == NUMERIC
    assert column.missing.tolist() == [False, True, False]
    assert column.notes == (f"x: infinite values ({token}) treated as missing",)


def test_infinite_feature_values_are_imputed_and_marked(tmp_path):
    text = "x,label\n1,a\ninf,b\n3,a\n-inf,b\n1.5,a\n2,b\n"
    ds = load_csv(write(tmp_path, text), "label")
    assert ds.input_names == ("x", "x_missing")  # not x=-inf, x=1, ... as text
    assert "x: infinite values (-inf, inf) treated as missing" in ds.notes
    assert np.isfinite(ds.X_train).all() and np.isfinite(ds.X_test).all()


def test_a_column_of_only_infinities_is_dropped_as_empty(tmp_path):
    text = "x,y,label\ninf,1,a\n-inf,2,b\ninf,3,a\ninf,4,b\n"
    ds = load_csv(write(tmp_path, text), "label")
    assert ds.input_names == ("y",)
    assert "x: every value is missing; column dropped" in ds.notes


def test_rows_with_an_infinite_target_are_dropped_with_a_note(tmp_path):
    text = "x,y\n" + "".join(f"{i},{i * 1.5}\n" for i in range(8)) + "9,inf\n10,-inf\n"
    ds = load_csv(write(tmp_path, text), "y")
    assert ds.X_train.shape[0] + ds.X_test.shape[0] == 8
    assert "y: 2 rows with an infinite target dropped" in ds.notes
    assert np.isfinite(ds.y_train).all()


# ---------------------------------------------------------- Hypothesis --

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

AMOUNTS = st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=8)


@settings(max_examples=100, deadline=None)
@given(AMOUNTS)
def test_spreadsheet_thousands_read_back_as_the_numbers_written(amounts):
    cells = [f"{amount:,.2f}" for amount in amounts]  # 1,234,567.89 as Excel shows it
    column = type_column("x", cells, None)  # the dot settles it: no default needed
    assert column.kind == NUMERIC
    assert column.values.tolist() == [float(f"{amount:.2f}") for amount in amounts]


@settings(max_examples=100, deadline=None)
@given(AMOUNTS)
def test_decimal_commas_read_back_as_the_numbers_written(amounts):
    cells = [f"{amount:.2f}".replace(".", ",") for amount in amounts]  # 1234567,89
    column = type_column("x", cells, THOUSANDS)  # two decimals settle it against the default
    assert column.kind == NUMERIC
    assert column.values.tolist() == [float(f"{amount:.2f}") for amount in amounts]
