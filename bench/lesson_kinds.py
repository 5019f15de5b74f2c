"""The cnn, autoencoder and gan lessons' claims over seeds, and each --verify's time.

    python3 bench/lesson_kinds.py [--seeds N]

Their --verify checks one seed (0). This repeats every seed-dependent claim on
seeds 0..N-1 (the seed draws the weights, the shuffling and, for the digits,
the split) and prints on how many it holds and what it measured. It measures;
it asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.common import limit_threads  # noqa: E402


def _main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 (default: 5)")
    options = parser.parse_args()
    print("threads:", limit_threads(1))
    from nn_tui.lessons import LESSONS, autoencoder, cnn, gan

    print("\n--verify on seed 0, time per lesson (first run: nothing cached)")
    for name in ("cnn", "autoencoder", "gan"):
        started = time.perf_counter()
        results = LESSONS[name].verify()
        print(f"  {name:<12} {sum(r.holds for r in results)}/{len(results)} claims hold  "
              f"{time.perf_counter() - started:5.2f} s")

    claims = {
        "cnn: CNN beats the dense network with fewer parameters": cnn.cnn_beats_dense,
        "autoencoder: denoising gain >= 3 dB": autoencoder.denoising_gain,
        "autoencoder: 2-D code 5-NN >= 0.3": autoencoder.code_map_groups_digits,
        "gan: two-gaussians JS falls by >= 0.2": gan.divergence_falls,
        "gan: badly set covers fewer ring modes": gan.badly_set_collapses,
    }
    print(f"\nclaims on seeds 0..{options.seeds - 1}")
    for label, claim in claims.items():
        results = [claim(seed=seed) for seed in range(options.seeds)]
        held = sum(result.holds for result in results)
        values = "; ".join(_short(result.value) for result in results)
        print(f"  {label}: holds on {held}/{options.seeds}  [{values}]", flush=True)


def _short(value):
    if isinstance(value, dict):
        return ", ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in value.items())
    return f"{value:.4g}"


if __name__ == "__main__":
    _main()
