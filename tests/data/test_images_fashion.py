"""The real Fashion-MNIST files that Debian's dataset-fashion-mnist package installs (files no one
here wrote). CI: `apt-get install dataset-fashion-mnist`; elsewhere these tests skip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_tui.data import load_images
from nn_tui.data.idx_sets import FASHION_NAMES

FOLDER = Path("/usr/share/datasets/fashion-mnist")
TRAIN = FOLDER / "train-images-idx3-ubyte.gz"
pytestmark = pytest.mark.skipif(not TRAIN.is_file(), reason=f"no {TRAIN}: apt-get install dataset-fashion-mnist")

# Loading keeps the 47 MB of training pixels as bytes: one float64 copy alone would be 376 MB.
MAX_PEAK_MB = 200


def test_the_debian_fashion_mnist_files_load_as_uint8_with_their_class_names():
    data = load_images(FOLDER)  # the folder: its training file, labels and test pair are found
    assert data.X_train.shape == (60_000, 784) and data.X_test.shape == (10_000, 784)
    assert data.X_train.dtype == np.uint8 and data.X_test.dtype == np.uint8
    assert data.input_shape == (1, 28, 28) and data.pixel_max == 255
    assert data.class_names == FASHION_NAMES
    assert np.bincount(data.labels(data.y_train)).tolist() == [6000] * 10
    assert np.bincount(data.labels(data.y_test)).tolist() == [1000] * 10
    assert data.X_train.max() == 255 and data.X_train.min() == 0
    batch = data.images(data.X_train, np.arange(64), dtype=np.float32)
    assert batch.shape == (64, 1, 28, 28) and 0.0 <= batch.min() and batch.max() <= 1.0


def test_loading_the_training_set_peaks_far_below_one_float64_copy():
    # VmHWM, this process image's own peak: ru_maxrss keeps the forking pytest worker's
    # peak across exec (a worker at 782 MB read as a 782 MB load).
    script = ("import json, re; from nn_tui.data import load_images; "
              f"d = load_images({str(TRAIN)!r}); "
              "peak = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)); "
              "print(json.dumps([peak, len(d.X_train)]))")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    peak_kb, n = json.loads(result.stdout)
    assert n == 60_000
    assert peak_kb / 1024 < MAX_PEAK_MB, f"peak {peak_kb / 1024:.0f} MB"
