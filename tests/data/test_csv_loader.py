"""Tests for the CSV loader: real files (Titanic, penguins), fixtures for every
malformed case, and Hypothesis for random well-formed files."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn_tui.data.csv_columns import (
    BOOLEAN,
    EMPTY,
    MISSING_TOKENS,
    NUMERIC,
    TEXT,
    encode_boolean,
    encode_numeric,
    encode_text,
    type_column,
)
from nn_tui.data.csv_loader import load_csv
from nn_tui.data.dataset import BINARY, MULTICLASS, REGRESSION, DataError

FIXTURES = Path(__file__).resolve().parent / "csv"
EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "data"  # real CSVs nobody here wrote
TITANIC = EXAMPLES / "titanic.csv"
PENGUINS = EXAMPLES / "penguins.csv"


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_dataset_sane(ds) -> None:
    """Invariants every loaded dataset must satisfy."""
    for array in (ds.X_train, ds.X_test, ds.y_train, ds.y_test):
        assert array.ndim == 2
        assert np.isfinite(array).all()
    assert ds.X_train.shape[1] == ds.X_test.shape[1] == len(ds.input_names) > 0
    assert len(set(ds.input_names)) == len(ds.input_names)
    assert all("\n" not in text for text in ds.input_names + ds.notes)
    assert ds.X_train.shape[0] == ds.y_train.shape[0] > 0
    assert ds.X_test.shape[0] == ds.y_test.shape[0] > 0
    assert not ds.is_plane
    if ds.task == BINARY:
        assert ds.y_train.shape[1] == 1 and len(ds.class_names) == 2
        assert set(np.unique(np.vstack([ds.y_train, ds.y_test]))) <= {0.0, 1.0}
    elif ds.task == MULTICLASS:
        assert ds.y_train.shape[1] == len(ds.class_names) >= 3
        assert np.all(np.vstack([ds.y_train, ds.y_test]).sum(axis=1) == 1.0)
    else:
        assert ds.task == REGRESSION and ds.class_names is None and ds.y_train.shape[1] == 1


def column(ds, name: str) -> tuple[np.ndarray, np.ndarray]:
    j = ds.input_names.index(name)
    return ds.X_train[:, j], ds.X_test[:, j]


# ---------------------------------------------------------------- Titanic --


@pytest.fixture(scope="module")
def titanic():
    return load_csv(TITANIC, "survived", drop=["alive"], seed=0)


def test_titanic_shapes_and_task(titanic):
    assert_dataset_sane(titanic)
    assert titanic.name == "titanic"
    assert titanic.task == BINARY
    assert titanic.class_names == ("0", "1")
    assert titanic.X_train.shape[0] + titanic.X_test.shape[0] == 891
    assert titanic.X_train.shape[0] in (668, 669)  # 0.75 of each class, rounded
    # Survival rate is kept on both sides by the stratified split (342/891 = 0.384).
    assert abs(titanic.y_train.mean() - 342 / 891) < 0.01
    assert abs(titanic.y_test.mean() - 342 / 891) < 0.01


def test_titanic_encodes_every_kind_of_column(titanic):
    names = titanic.input_names
    assert "alive" not in " ".join(names)
    assert "survived" not in " ".join(names)
    assert {"sex=female", "sex=male", "adult_male", "alone", "age", "age_missing", "fare"} <= set(names)
    assert {"deck=?", "embarked=?"} <= set(names)  # missing text is its own category
    assert "deck=?" in names and names.index("deck=A") < names.index("deck=B")


def test_titanic_notes_explain_imputation(titanic):
    age_note = next(note for note in titanic.notes if note.startswith("age:"))
    assert "177 missing" in age_note and "median" in age_note
    assert any("alive" in note and "drop" in note for note in titanic.notes)
    assert all("\n" not in note for note in titanic.notes)


def test_titanic_numeric_columns_standardised_on_train(titanic):
    for name in ("pclass", "age", "sibsp", "parch", "fare"):
        train, test = column(titanic, name)
        assert abs(train.mean()) < 1e-9, name
        assert abs(train.std() - 1.0) < 1e-9, name
        assert test.mean() != 0.0  # test rows are transformed, not re-fitted
    for name in ("sex=male", "adult_male", "age_missing", "deck=?"):
        train, test = column(titanic, name)
        assert set(np.unique(np.concatenate([train, test]))) == {0.0, 1.0}, name


def test_titanic_alive_is_a_feature_unless_dropped():
    leaky = load_csv(TITANIC, "survived")
    assert "alive" in leaky.input_names
    train, _ = column(leaky, "alive")
    # yes/no is read as a boolean, and it is the target again: a perfect leak.
    assert np.array_equal(train, leaky.y_train[:, 0])


def test_titanic_same_seed_same_bits_other_seed_other_split():
    a = load_csv(TITANIC, "survived", drop=["alive"], seed=7)
    b = load_csv(TITANIC, "survived", drop=["alive"], seed=7)
    c = load_csv(TITANIC, "survived", drop=["alive"], seed=8)
    for name in ("X_train", "y_train", "X_test", "y_test"):
        assert getattr(a, name).tobytes() == getattr(b, name).tobytes()
    assert a.notes == b.notes and a.input_names == b.input_names
    assert a.input_names == c.input_names  # the inputs do not depend on the seed
    assert not np.array_equal(a.X_train, c.X_train)


def test_titanic_drop_is_case_insensitive_and_accepts_one_string():
    ds = load_csv(TITANIC, "Survived", drop="ALIVE")
    assert "alive" not in ds.input_names
    assert ds.task == BINARY


# --------------------------------------------------------------- penguins --


def test_penguins_multiclass_with_string_labels():
    ds = load_csv(PENGUINS, "species")
    assert_dataset_sane(ds)
    assert ds.task == MULTICLASS
    assert ds.class_names == ("Adelie", "Chinstrap", "Gentoo")
    assert ds.y_train.shape[1] == 3
    assert ds.X_train.shape[0] + ds.X_test.shape[0] == 344
    assert "sex=?" in ds.input_names
    assert any(note.startswith("body_mass_g: 2 missing") for note in ds.notes)


def test_penguins_rows_with_missing_target_are_dropped(tmp_path):
    lines = PENGUINS.read_text(encoding="utf-8").splitlines()
    for i in (1, 50, 200):  # blank the species of three rows
        lines[i] = "NA" + lines[i][lines[i].index(","):]
    lines[300] = "" + lines[300][lines[300].index(","):]
    ds = load_csv(write(tmp_path, "\n".join(lines) + "\n", "penguins_gaps.csv"), "species")
    assert_dataset_sane(ds)
    assert ds.X_train.shape[0] + ds.X_test.shape[0] == 340
    assert any("4 rows with a missing target dropped" in note for note in ds.notes)


# ---------------------------------------------------- formats and typing --


def test_semicolon_file_with_quoted_delimiter():
    ds = load_csv(FIXTURES / "semicolon.csv", "label")
    assert_dataset_sane(ds)
    assert ds.input_names == ("size", "colour=blue;green, teal", "colour=red")
    assert ds.class_names == ("a", "b")
    assert any("semicolon" in note for note in ds.notes)


def test_bom_and_crlf_file_with_boolean_target():
    ds = load_csv(FIXTURES / "bom.csv", "healthy")  # the first column, right after the BOM
    assert_dataset_sane(ds)
    assert ds.class_names == ("no", "yes")  # the file's own spellings, false first
    assert ds.input_names == ("temp", "cough", "cough_missing")


def test_tab_and_pipe_delimiters(tmp_path):
    for delimiter in ("\t", "|"):
        text = delimiter.join(["x", "y", "label"]) + "\n"
        text += "".join(delimiter.join([str(i), str(i % 3), "ab"[i % 2]]) + "\n" for i in range(8))
        ds = load_csv(write(tmp_path, text), "label")
        assert ds.input_names == ("x", "y")


def test_regression_target_is_standardised_with_a_note():
    ds = load_csv(FIXTURES / "regression.csv", "price", seed=3)
    assert_dataset_sane(ds)
    assert ds.task == REGRESSION
    assert abs(ds.y_train.mean()) < 1e-9 and abs(ds.y_train.std() - 1) < 1e-9
    assert any("price" in note and "standardised" in note and "mean" in note for note in ds.notes)
    assert ds.input_names == ("x", "group=a", "group=b")


@pytest.mark.parametrize(
    ("values", "task"),
    [
        (["0", "1"] * 4, BINARY),
        (["1.0", "2.0", "3"] * 3, MULTICLASS),  # integers, however spelled
        ([str(i % 10) for i in range(20)], MULTICLASS),  # 10 distinct integers
        ([str(i % 11) for i in range(22)], REGRESSION),  # 11 distinct integers
        (["0.5", "1.5"] * 4, REGRESSION),  # few values, but not integers
        (["T", "f"] * 4, BINARY),
        (["cat", "dog", "eel"] * 3, MULTICLASS),
    ],
)
def test_target_rule(tmp_path, values, task):
    text = "x,target\n" + "".join(f"{i},{value}\n" for i, value in enumerate(values))
    ds = load_csv(write(tmp_path, text), "target")
    assert ds.task == task
    if task == MULTICLASS and values[0] == "1.0":
        assert ds.class_names == ("1", "2", "3")


def test_column_typing_by_values_not_names():
    assert type_column("id", ["1", "-0.5", "1e3", " 2 ", "NA"]).kind == NUMERIC
    assert type_column("flag", ["0", "1", "1"]).kind == NUMERIC  # 0/1 counts as numeric
    assert type_column("flag", ["Yes", "n", "TRUE", "f", "?"]).kind == BOOLEAN
    assert type_column("age", ["12", "unknown"]).kind == TEXT
    infinite = type_column("x", ["inf", "1"])  # no usable number, but not a category either
    assert infinite.kind == NUMERIC and infinite.missing.tolist() == [True, False]
    assert type_column("x", ["1_000", "2"]).kind == TEXT
    assert type_column("x", ["", "nan", "None", "null", "N/A", " ? "]).kind == EMPTY


def test_imputation_uses_training_rows_only():
    col = type_column("v", ["1", "2", "3", "100", "200", ""])
    train_idx = np.array([0, 1, 2, 5])  # training median is 2, the all-rows median 3
    encoded = encode_numeric(col, train_idx)
    assert encoded.names == ("v", "v_missing")
    assert "median 2.0" in encoded.notes[0]
    scaled = encoded.matrix[:, 0]
    train_raw = np.array([1.0, 2.0, 3.0, 2.0])
    expected = (np.array([1, 2, 3, 100, 200, 2.0]) - train_raw.mean()) / train_raw.std()
    assert np.allclose(scaled, expected)
    assert encoded.matrix[:, 1].tolist() == [0, 0, 0, 0, 0, 1]


def test_boolean_missing_takes_training_mode():
    col = type_column("b", ["yes", "no", "no", "yes", "yes", ""])
    encoded = encode_boolean(col, np.array([0, 1, 2, 5]))  # training mode: no
    assert encoded.names == ("b", "b_missing")
    assert encoded.matrix[:, 0].tolist() == [1, 0, 0, 1, 1, 0]


def test_one_hot_sorted_with_missing_category_last():
    encoded = encode_text(type_column("c", ["b", "a", "", "b"]))
    assert encoded.names == ("c=a", "c=b", "c=?")
    assert encoded.matrix.tolist() == [[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0]]


def test_constant_empty_and_high_cardinality_columns_dropped_with_notes(tmp_path):
    rows = [f"{i},{i % 2},k,,name{i},{'xy'[i % 2]}" for i in range(12)]
    text = "n,label,const,blank,name,kind\n" + "\n".join(rows) + "\n"
    ds = load_csv(write(tmp_path, text), "label", max_categories=10)
    assert ds.input_names == ("n", "kind=x", "kind=y")
    notes = " | ".join(ds.notes)
    assert "const: constant" in notes
    assert "blank: every value is missing" in notes
    assert "name: 12 distinct text values (more than 10" in notes


def test_numbers_spelled_differently_are_still_constant(tmp_path):
    text = "a,x,y\n" + "".join(f"{'0' if i % 2 else '0.0'},{i},{i * 0.37:.2f}\n" for i in range(8))
    ds = load_csv(write(tmp_path, text), "y")
    assert ds.input_names == ("x",)
    assert any(note.startswith("a: constant") for note in ds.notes)


def test_column_with_one_value_and_gaps_keeps_only_the_indicator(tmp_path):
    text = "v,x,label\n" + "".join(f"{'5' if i % 3 else ''},{i},{'ab'[i % 2]}\n" for i in range(9))
    ds = load_csv(write(tmp_path, text), "label")
    assert ds.input_names == ("v_missing", "x")


def test_extreme_numbers_do_not_overflow(tmp_path):
    values = ["1e308", "-1e308", "1.7e308", "5e-324", "0", "-1.5e308", "1e300", "2"]
    text = "v,label\n" + "".join(f"{v},{'ab'[i % 2]}\n" for i, v in enumerate(values))
    ds = load_csv(write(tmp_path, text), "label")
    assert_dataset_sane(ds)
    assert abs(ds.X_train[:, 0].std() - 1) < 1e-9


def test_constant_training_rows_are_only_centred():
    col = type_column("v", ["3", "3", "3", "7"])
    encoded = encode_numeric(col, np.array([0, 1, 2]))
    assert encoded.matrix[:, 0].tolist() == [0.0, 0.0, 0.0, 4.0]


def test_split_note(tmp_path):
    ds = load_csv(FIXTURES / "regression.csv", "price")
    assert "20 rows: 15 for training, 5 for testing (random split)" in ds.notes


def test_windows_1252_file_is_read_with_a_note(tmp_path):
    path = tmp_path / "cafe.csv"
    path.write_bytes("x,drink\n1,café\n2,tea\n3,café\n4,tea\n".encode("cp1252"))
    ds = load_csv(path, "drink")
    assert ds.class_names == ("café", "tea")
    assert any("Windows-1252" in note for note in ds.notes)


def test_utf16_file_with_bom_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("x\tlabel\r\n1\ta\r\n2\tb\r\n3\ta\r\n4\tb\r\n".encode("utf-16"))
    assert load_csv(path, "label").input_names == ("x",)


def test_input_names_stay_unique(tmp_path):
    text = "v,v_missing,label\n1,0,a\n,1,b\n3,0,a\n4,0,b\n,1,a\n6,0,b\n"
    ds = load_csv(write(tmp_path, text), "label")
    assert ds.input_names == ("v", "v_missing", "v_missing#2")


def test_blank_header_name_is_named_by_position(tmp_path):
    ds = load_csv(write(tmp_path, ",x,label\n1,5,a\n2,6,b\n3,7,a\n4,8,b\n"), "label")
    assert ds.input_names == ("column_1", "x")


# ------------------------------------------------------------------ errors --


def load_error(path, target="label", **kwargs) -> str:
    with pytest.raises(DataError) as info:
        load_csv(path, target, **kwargs)
    message = str(info.value)
    assert "\n" not in message and message.strip() == message
    return message


@pytest.mark.parametrize(
    ("fixture", "phrase"),
    [
        ("empty.csv", "is empty"),
        ("blank_lines.csv", "is empty"),
        ("header_only.csv", "has a header but no data rows"),
        ("ragged.csv", "line 4 has 2 fields but the header has 3"),
        ("duplicate_columns.csv", "duplicate column names: a"),
        ("nul_bytes.csv", "not a text CSV"),
        ("not_text.csv", "not a text CSV"),
        ("one_class.csv", "target 'label'"),
        ("singleton_class.csv", "class 'z' of target 'label'"),
        ("too_few_rows.csv", "too few rows"),
        ("only_target_left.csv", "no feature columns left"),
    ],
)
def test_malformed_fixture_names_problem_and_file(fixture, phrase):
    message = load_error(FIXTURES / fixture)
    assert phrase in message
    assert fixture in message


def test_one_class_message():
    message = load_error(FIXTURES / "one_class.csv")
    assert "has only one class ('x'); nothing to learn" in message


def test_missing_file_and_directory(tmp_path):
    assert "no such file" in load_error(tmp_path / "nope.csv")
    assert "is a directory" in load_error(tmp_path)


def test_unknown_target_lists_columns():
    message = load_error(FIXTURES / "semicolon.csv", target="price")
    assert "no column 'price' in" in message and "semicolon.csv" in message
    assert message.endswith("columns are: size, colour, label")


def test_drop_errors():
    path = FIXTURES / "semicolon.csv"
    assert "no column 'weight'" in load_error(path, drop=["weight"])
    assert "it is the target" in load_error(path, drop=["label"])


def test_bad_arguments():
    path = FIXTURES / "semicolon.csv"
    assert "train ratio" in load_error(path, train_ratio=0.95)
    assert "train ratio" in load_error(path, train_ratio=0.05)
    assert "max_categories" in load_error(path, max_categories=0)


def test_constant_regression_target(tmp_path):
    text = "x,y\n" + "".join(f"{i},0.5\n" for i in range(6))
    assert "only one value" in load_error(write(tmp_path, text), target="y")


def test_too_many_text_classes(tmp_path):
    text = "x,who\n" + "".join(f"{i},person{i}\n" for i in range(12))
    assert "12 classes" in load_error(write(tmp_path, text), target="who", max_categories=5)


# --------------------------------------------------------------- Hypothesis --

NAMES = st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True), min_size=2, max_size=5, unique=True)
MISSING = st.sampled_from(["", "NA", "n/a", "NaN", "null", "None", "?", " "])
NUMBER = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),  # up to 1.8e308
    st.sampled_from(["1e3", "-0.5", ".5", "+2."]),
)
WORD = st.sampled_from(["red", "green", "blue", "a b", 'say "hi"', "x,y", "tab\there", "True", "no"])
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=6)
CELL_KINDS = {
    "numeric": st.one_of(NUMBER, NUMBER, NUMBER, MISSING),
    "boolean": st.one_of(st.sampled_from(["true", "False", "yes", "N", "t", "F"]), MISSING),
    "text": st.one_of(WORD, WORD, MISSING),
    "anything": st.one_of(NUMBER, WORD, MISSING, ANY_TEXT),
}


# Targets with few distinct values, so most random files are loadable.
TARGET_CELLS = {
    "classes": st.one_of(st.sampled_from(["a", "b", "c"]), st.sampled_from(["0", "1", "2", "3"])),
    "boolean": st.sampled_from(["yes", "no"]),
    "numbers": NUMBER,
    "anything": CELL_KINDS["anything"],
}


@st.composite
def csv_files(draw):
    """(csv text, target name, rows with a target) for a random small well-formed file."""
    names = draw(NAMES)
    target = draw(st.sampled_from(names))
    target_cells = TARGET_CELLS[draw(st.sampled_from(sorted(TARGET_CELLS)))]
    target_cells = st.one_of(target_cells, target_cells, target_cells, MISSING)
    cells = [
        target_cells if name == target else CELL_KINDS[draw(st.sampled_from(sorted(CELL_KINDS)))]
        for name in names
    ]
    # Hypothesis favours the first choice; a mid-sized file finds more than a 1-row one.
    n_rows = draw(st.sampled_from([12, 3, 6, 25, 40]))
    rows = [[draw(cell) for cell in cells] for _ in range(n_rows)]
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(names)
    writer.writerows(rows)
    with_target = sum(cell.strip().lower() not in MISSING_TOKENS for cell in (row[names.index(target)] for row in rows))
    return buffer.getvalue(), target, with_target


def load_text(text: str, target: str, **kwargs):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.csv"
        path.write_text(text, encoding="utf-8")
        return load_csv(path, target, **kwargs)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files(), st.integers(0, 3), st.sampled_from([0.25, 0.5, 0.75, 0.9]))
def test_random_csv_loads_or_raises_data_error(file, seed, train_ratio):
    text, target, with_target = file
    try:
        ds = load_text(text, target, seed=seed, train_ratio=train_ratio)
    except DataError as error:
        assert "\n" not in str(error)
        return
    assert_dataset_sane(ds)
    assert target not in ds.input_names
    assert ds.X_train.shape[0] + ds.X_test.shape[0] == with_target


@settings(max_examples=60, deadline=None)
@given(st.data(), st.integers(8, 30), st.integers(0, 100))
def test_binary_file_with_a_varying_number_always_loads(data, n_rows, seed):
    """Two classes with 4+ rows each and a numeric column with two distinct
    values: nothing here is a reason to refuse the file."""
    numbers = ["1", "2"] + data.draw(st.lists(st.one_of(NUMBER, MISSING), min_size=n_rows - 2, max_size=n_rows - 2))
    words = data.draw(st.lists(st.one_of(WORD, MISSING), min_size=n_rows, max_size=n_rows))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["num", "word", "label"])
    writer.writerows([number, word, "ab"[i % 2]] for i, (number, word) in enumerate(zip(numbers, words)))
    ds = load_text(buffer.getvalue(), "label", seed=seed)
    assert_dataset_sane(ds)
    assert ds.task == BINARY and ds.input_names[0] == "num"
