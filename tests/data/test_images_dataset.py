"""Dataset's image additions (channels, pixel_max, per-batch floats) leave the digits as they were."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui.data import load_digits, make_toy


def test_the_digits_float_view_is_their_own_values_bit_for_bit():
    digits = load_digits()
    assert digits.channels == 1 and digits.pixel_max is None and digits.input_shape == (1, 8, 8)
    assert np.array_equal(digits.floats(digits.X_train), digits.X_train)
    rows = np.array([5, 0, 7])
    assert np.array_equal(digits.images(digits.X_test, rows), digits.X_test[rows].reshape(3, 1, 8, 8))
    assert digits.floats(digits.X_train, rows, np.float32).dtype == np.float32


def test_uint8_rows_are_scaled_per_batch_without_touching_the_set():
    digits = load_digits()
    raw = np.round(digits.X_train * 255).astype(np.uint8)
    held = type(digits)(**{**digits.__dict__, "X_train": raw, "pixel_max": 255.0})
    batch = held.floats(held.X_train, np.arange(4))
    assert batch.dtype == np.float64 and np.array_equal(batch, raw[:4] / 255.0)
    assert held.X_train.dtype == np.uint8


def test_a_table_has_no_image_shape():
    with pytest.raises(ValueError):
        make_toy("xor").input_shape


def test_the_data_package_imports_only_numpy_and_the_standard_library_save_pillow_in_one_place():
    import ast
    import sys
    from pathlib import Path

    import nn_tui.data

    allowed = set(sys.stdlib_module_names) | {"numpy"}
    for path in Path(nn_tui.data.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else
                     [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                if name == "PIL":  # the optional extra, imported lazily by the folder loader only
                    assert path.name == "image_folder.py", f"{path.name} imports Pillow"
                    continue
                assert name.split(".")[0] in allowed or name.startswith("nn_tui.data"), f"{path.name} imports {name}"
