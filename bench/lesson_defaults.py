"""How robust are the lessons' default runs? Their claims, re-measured on other seeds.

    python3 bench/lesson_defaults.py [--seeds N]

Each lesson's --verify checks its claims on one seed (0). This script repeats
the claims whose outcome could depend on the seed on seeds 0..N-1 and prints,
per claim, on how many seeds it holds and the range of what it measured, plus
each lesson's --verify time on this machine. It measures; it asserts nothing.
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

    from nn_tui.lessons import LESSONS, activations, digits, sparse, tabular, xor

    print("\n--verify on seed 0, time per lesson")
    for name, lesson in LESSONS.items():
        if lesson.available:
            started = time.perf_counter()
            results = lesson.verify()
            held = sum(result.holds for result in results)
            print(f"  {name:<14} {held}/{len(results)} claims hold  {time.perf_counter() - started:5.2f} s")

    # claim on a seed, and the measured number to show (a key of the value when it is a mapping)
    seeded = {
        "activations: ReLU falls fastest": (lambda seed: activations.relu_falls_fastest(seed=seed),
                                            "mean_loss_relu"),
        "xor: 4 ReLU units >= 99 % on the plane": (lambda seed: xor.hidden_layer_solves_plane(seed=seed), None),
        "xor: 4 tanh units 100 % on the truth table": (
            lambda seed: xor.hidden_layer_solves_truth_table(seed=seed), None),
        "sparse: 25 % of the weights within 2 pp": (lambda seed: sparse.pruning_keeps_accuracy(seed=seed),
                                                    "pruned_accuracy"),
        "sparse: L1 zeroes >= 40 %, within 5 pp": (lambda seed: sparse.l1_switches_links_off(seed=seed),
                                                        "zero_weights"),
        "digits: >= 0.95 test accuracy": (lambda seed: digits.reaches_goal(seed=seed), None),
        "tabular: sex columns matter most": (lambda seed: tabular.leans_on_sex_most(seed=seed), "shuffled_sex"),
        "tabular: the port is used a little": (lambda seed: tabular.uses_port_a_little(seed=seed),
                                               "shuffled_port"),
    }
    print(f"\nclaims on seeds 0..{options.seeds - 1} (the seed of the network, its shuffling and, for the "
          f"digits, the split)")
    for label, (claim, key) in seeded.items():
        results = [claim(seed) for seed in range(options.seeds)]
        held = [seed for seed, result in enumerate(results) if result.holds]
        values = [result.value if key is None else result.value[key] for result in results]
        failed = sorted(set(range(options.seeds)) - set(held))
        print(f"  {label:<44} holds on {len(held)}/{len(results)}"
              f"{'' if not failed else ' (not on ' + ', '.join(map(str, failed)) + ')':<16}"
              f" {key or 'value'} {min(values):.4g} .. {max(values):.4g}")


if __name__ == "__main__":
    _main()
