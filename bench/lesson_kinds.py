"""The cnn, rnn, autoencoder and gan lessons' claims over seeds, and each --verify's time.

    python3 bench/lesson_kinds.py [--seeds N] [--rnn]   # --rnn: also the rnn lesson (about 25 CPU s a seed)

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
    parser.add_argument("--rnn", action="store_true", help="also the rnn lesson (slow)")
    options = parser.parse_args()
    print("threads:", limit_threads(1))
    from nn_tui.lessons import LESSONS, autoencoder, cnn, gan, rnn

    print("\n--verify on seed 0, time per lesson (first run: nothing cached)")
    for name in ("cnn", "autoencoder", "gan") + (("rnn",) if options.rnn else ()):
        started = time.perf_counter()
        results = LESSONS[name].verify()
        print(f"  {name:<12} {sum(r.holds for r in results)}/{len(results)} claims hold  "
              f"{time.perf_counter() - started:5.2f} s")

    claims = {
        "cnn: CNN beats the dense network with fewer parameters": cnn.cnn_beats_dense,
        "autoencoder: denoising gain >= 1.5 dB (2-unit middle)": autoencoder.denoising_gain,
        "autoencoder: the default 128-unit middle gains more": autoencoder.wider_rebuilds_better,
        "autoencoder: 2-D code 5-NN >= 0.3": autoencoder.code_map_groups_digits,
        "gan: two-gaussians JS falls by >= 0.2": gan.divergence_falls,
        "gan: badly set covers fewer ring modes": gan.badly_set_collapses,
    }
    if options.rnn:
        claims["rnn: LSTM and GRU keep the country, the RNN loses it"] = rnn.keeps_the_country
        claims["rnn: with no gap the RNN keeps it"] = rnn.rnn_without_gap
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
