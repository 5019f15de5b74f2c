"""bench/fashion_mnist.py runs end to end on a small IDX set (no timing or accuracy asserted)."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import fashion_mnist  # noqa: E402


def idx_bytes(array: np.ndarray) -> bytes:
    return struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def write_idx_set(folder: Path, n: int, side: int) -> Path:
    labels = (np.arange(n) % 3).astype(np.uint8)
    images = np.random.default_rng(0).integers(0, 256, (n, side, side), dtype=np.uint8)
    (folder / "train-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
    (folder / "train-images-idx3-ubyte").write_bytes(idx_bytes(images))
    return folder / "train-images-idx3-ubyte"

def test_the_fashion_bench_trains_both_networks_and_reports_each_seed(tmp_path, capsys):
    images = write_idx_set(tmp_path, n=60, side=8)
    assert fashion_mnist.main(["--data", str(images), "--seeds", "0,1", "--epochs", "1", "--train-rows", "30",
                               "--minutes", "1"]) == 0
    out = capsys.readouterr().out
    assert "SUBSET" in out
    for name in ("cnn", "mlp"):
        for seed in (0, 1):
            assert f"{name} seed {seed}: test accuracy" in out and "after 1 epoch(s)" in out
        line = next(line for line in out.splitlines() if line.startswith(f"{name}: mean"))
        assert 0.0 <= float(line.split()[2].rstrip(",")) <= 1.0 and "(subset run)" in line
